"""What the features' French tests share: a server set to French as a counsellor sets it, and
members whose Discord client is in another language (import the fixture where it is used)."""

from __future__ import annotations

import pytest
import simcord.interactions

from bot.content import default_content

FRENCH = default_content().localized("fr")
ENGLISH = default_content()
NBSP = "\u00a0"  # French puts a no-break space before a colon, and inside « »


async def speak_french(group) -> None:
    """The group's server set to French with /settings language, as a counsellor does it."""
    result = await group.counsellor.slash(group.channel, "settings language", language="fr")
    assert result.ephemeral and result.response.content.startswith("Linkwise parle maintenant français")


def labels(message) -> list[str]:
    """The button labels on a message, as its member sees them (an answer's payload, or a
    message in a channel)."""
    return [
        c["label"] if isinstance(c, dict) else c.label
        for row in message.components
        for c in (row["components"] if isinstance(row, dict) else row.children)
    ]


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
