"""What a member typed cannot be used: the error of the pure parsers (a time, a day list, a time
zone). Pure, like the parsers that raise it: importing it brings no discord.py along. The one
error path answers it as it answers :class:`bot.errors.UserFacingError`."""

from __future__ import annotations


class InputError(ValueError):
    """The message names what is wrong and what is accepted, so it can be shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
