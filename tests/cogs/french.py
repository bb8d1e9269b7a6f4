"""What the features' French tests share: a server set to French as a counsellor sets it."""

from __future__ import annotations

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
