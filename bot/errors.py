"""Errors whose message is meant for the member who caused them."""

from __future__ import annotations

from dataclasses import dataclass

from discord import app_commands

from bot.input import InputError


class UserFacingError(app_commands.AppCommandError):
    """Raised with a message that says what is wrong and what is accepted.

    An ``AppCommandError``, as discord.py expects of what a command, check or transformer
    raises. The one error path (``bot.tree.report_error``) shows the message ephemerally and logs
    nothing; any other exception is logged and the member gets a generic apology.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Refusal:
    """An expected outcome found while running (a schedule already removed, an empty pool, a
    cooldown), returned as a value by a service that commands and buttons share. The caller
    answers it with ``return await refuse(interaction, refused)``: an expected outcome is
    never an exception escaping a command body. ``sent``: the member's own text, given back with
    the message when they typed it (so nothing they wrote is lost)."""

    message: str
    sent: str | None = None


# What persistent items, forms and the tree's last resort answer to the member instead of logging.
USER_ERRORS = (UserFacingError, InputError)
