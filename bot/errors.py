"""Errors whose message is meant for the member who caused them."""

from __future__ import annotations

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


class NotCounsellor(UserFacingError, app_commands.CheckFailure):
    """A counsellor-only command or button was used by someone who is not a counsellor."""


# What the one error path answers to the member instead of logging: refusals and bad input.
USER_ERRORS = (UserFacingError, InputError)
