"""Member suggestions: /suggest tip, /suggest prompt and /suggest status for members, and
/content queue for the counsellors, whose approved items join the server's own content."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import Linkwise


async def setup(bot: Linkwise) -> None:
    from .cog import Suggestions

    await bot.add_cog(Suggestions(bot))
