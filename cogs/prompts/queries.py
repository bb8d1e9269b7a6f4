"""Shared practices (answers to prompts), the per-member /prompt cooldown and the share cooldown."""

from __future__ import annotations

from datetime import datetime

from bot.clock import iso
from bot.store import Statement, Store


def record_share(
    guild_id: int,
    user_id: int,
    prompt_id: str,
    prompt_message_id: int,
    channel_id: int,
    message_id: int,
    at: datetime,
) -> Statement:
    """A practice the bot posted for a member: where it went (the text stays on Discord)."""
    return (
        "INSERT INTO prompt_shares "
        "(guild_id, user_id, prompt_id, prompt_message_id, channel_id, message_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (guild_id, user_id, prompt_id, prompt_message_id, channel_id, message_id, iso(at)),
    )


async def shares_count(store: Store, guild_id: int, user_id: int) -> int:
    """How many practices the member shared in this server (shown in /progress)."""
    return int(
        await store.fetchval(
            "SELECT COUNT(*) FROM prompt_shares WHERE guild_id = ? AND user_id = ?", (guild_id, user_id), 0
        )
    )


def claim_turn(guild_id: int, user_id: int, at: datetime, cutoff: datetime) -> Statement:
    """Take the member's /prompt turn: changes one row only when their last prompt is at or
    before ``cutoff`` (or they never posted one), so the check and the claim are one statement."""
    return (
        "INSERT INTO prompt_requests (guild_id, user_id, requested_at) VALUES (?, ?, ?) "
        "ON CONFLICT (guild_id, user_id) DO UPDATE SET requested_at = excluded.requested_at "
        "WHERE prompt_requests.requested_at <= ?",
        (guild_id, user_id, iso(at), iso(cutoff)),
    )


def release_turn(guild_id: int, user_id: int, at: datetime) -> Statement:
    """Give back a turn taken at ``at`` (the prompt could not be posted)."""
    return (
        "DELETE FROM prompt_requests WHERE guild_id = ? AND user_id = ? AND requested_at = ?",
        (guild_id, user_id, iso(at)),
    )


async def last_turn(store: Store, guild_id: int, user_id: int) -> datetime | None:
    value = await store.fetchval(
        "SELECT requested_at FROM prompt_requests WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    return datetime.fromisoformat(value) if value else None



def claim_share_turn(
    guild_id: int, user_id: int, prompt_message_id: int, at: datetime, cutoff: datetime
) -> tuple[Statement, Statement]:
    """Take the member's turn to share on this prompt post: the second statement inserts one
    row only when they have not shared there after ``cutoff``. The first forgets their turns at
    or before ``cutoff`` (on every prompt), which keeps the table small. Written together, in
    one transaction, the check and the claim cannot be split by another share."""
    return (
        (
            "DELETE FROM prompt_share_turns WHERE guild_id = ? AND user_id = ? AND shared_at <= ?",
            (guild_id, user_id, iso(cutoff)),
        ),
        (
            "INSERT INTO prompt_share_turns (guild_id, user_id, prompt_message_id, shared_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (guild_id, user_id, prompt_message_id) DO NOTHING",
            (guild_id, user_id, prompt_message_id, iso(at)),
        ),
    )


def release_share_turn(guild_id: int, user_id: int, prompt_message_id: int, at: datetime) -> Statement:
    """Give back a share turn taken at ``at`` (the practice could not be posted)."""
    return (
        "DELETE FROM prompt_share_turns WHERE guild_id = ? AND user_id = ? AND prompt_message_id = ? "
        "AND shared_at = ?",
        (guild_id, user_id, prompt_message_id, iso(at)),
    )


async def last_share_turn(store: Store, guild_id: int, user_id: int, prompt_message_id: int) -> datetime | None:
    value = await store.fetchval(
        "SELECT shared_at FROM prompt_share_turns WHERE guild_id = ? AND user_id = ? AND prompt_message_id = ?",
        (guild_id, user_id, prompt_message_id),
    )
    return datetime.fromisoformat(value) if value else None
