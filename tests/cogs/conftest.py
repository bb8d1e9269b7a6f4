"""Members whose Discord client is in another language, for the features' French tests."""

from __future__ import annotations

import pytest
import simcord.interactions


@pytest.fixture
def discord_locale(monkeypatch):
    """Members whose Discord client is set to another language (user id -> locale): their
    interactions carry that ``locale``, as Discord sends it (SimCord sends every interaction as
    en-US; this changes only that field of the payload)."""
    locales: dict[int, str] = {}
    built = simcord.interactions.base_payload

    def base_payload(backend, **kwargs):
        record, payload = built(backend, **kwargs)
        if kwargs["user_id"] in locales:
            payload["locale"] = locales[kwargs["user_id"]]
        return record, payload

    monkeypatch.setattr(simcord.interactions, "base_payload", base_payload)
    return locales
