"""Members acting in the same instant, through SimCord.

Every SimCord actor verb settles the bot before it returns, so interactions sent one after the
other are handled one after the other and a race between them can never show. :class:`AtOnce`
holds each interaction at the door instead: the bot receives it, runs the interaction check of
Linkwise's command tree or persistent item (discord.py's public hook, awaited before any
command or button callback), and parks there in a declared ``env.external_wait`` — which
SimCord counts as settled, so the verb returns. When every interaction of the burst has
arrived, :meth:`AtOnce.release` opens the door and settles once: all of them run concurrently,
interleaving at every await, as they would when Discord delivers a burst.

    async with AtOnce(env, monkeypatch) as door:
        first = await alice.slash(channel, "prompt")
        second = await bob.slash(channel, "prompt")
    # here both have run to the end, concurrently
"""

from __future__ import annotations

import asyncio

import discord

from bot.tree import LinkwiseTree
from bot.ui import PersistentItem


class AtOnce:
    def __init__(self, env, monkeypatch) -> None:
        self.env = env
        self.door = asyncio.Event()
        self.waiting = 0
        self._monkeypatch = monkeypatch

    async def _wait_at_the_door(self) -> None:
        if self.door.is_set():
            return
        self.waiting += 1
        await self.env.external_wait(self.door.wait(), reason="members acting in the same instant")

    def _install(self) -> None:
        held = self

        tree_check = LinkwiseTree.interaction_check
        item_check = PersistentItem.interaction_check

        async def tree_interaction_check(self, interaction: discord.Interaction) -> bool:
            await held._wait_at_the_door()
            return await tree_check(self, interaction)

        async def item_interaction_check(self, interaction: discord.Interaction) -> bool:
            await held._wait_at_the_door()
            return await item_check(self, interaction)

        self._monkeypatch.setattr(LinkwiseTree, "interaction_check", tree_interaction_check)
        self._monkeypatch.setattr(PersistentItem, "interaction_check", item_interaction_check)

    async def release(self) -> None:
        """Open the door and let every held interaction run to its end, together."""
        self.door.set()
        await self.env.settle()

    async def __aenter__(self) -> AtOnce:
        self._install()
        return self

    async def __aexit__(self, *exc_info) -> None:
        if exc_info[0] is None:
            assert self.waiting, "no interaction reached the door: nothing ran at once"
        await self.release()
