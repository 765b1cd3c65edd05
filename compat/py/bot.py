"""A small discord.py bot (Debian's python3-discord, 2.2.2) against carillon-emulator, driven by ForeignClientsTest.

Usage: python3 bot.py DESCRIPTION.json BOT_NAME GUILD_NAME
The description is what `carillon emulator --describe` writes. The bot prints one line per step on stdout
("ready ...", "message {...}", "voice ...") and takes orders on stdin ("voice", "quit"). The only settings
beyond an ordinary bot are the two addresses discord.py hard-codes: the REST base URL
(discord.http.Route.BASE, https://discord.com/api/v10) and the gateway it connects to first and after an
invalidated session (DiscordWebSocket.DEFAULT_GATEWAY, wss://gateway.discord.gg/).
"""
import asyncio
import json
import sys

import discord
import yarl
from discord import app_commands

description_file, bot_name, guild_name = sys.argv[1:4]
with open(description_file, encoding="utf-8") as f:
    description = json.load(f)
me = description["bots"][bot_name]
guild_info = description["guilds"][guild_name]
discord.http.Route.BASE = description["rest"].rstrip("/")
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(description["gateway"])


def say(line):
    print(line, flush=True)


# Default intents: GUILD_MESSAGES but no MESSAGE_CONTENT, so plain messages arrive blank.
client = discord.Client(intents=discord.Intents.default())
tree = app_commands.CommandTree(client)
guild_object = discord.Object(id=int(guild_info["id"]))
BELLS = ["Morning bell", "Evening gong", "Temple bell"]


async def bells(interaction, typed):
    return [app_commands.Choice(name=b, value=b) for b in BELLS if typed.lower() in b.lower()]


@tree.command(name="ring", description="ring a bell", guild=guild_object)
@app_commands.autocomplete(bell=bells)
async def ring(interaction: discord.Interaction, bell: str = "the bell"):
    await interaction.response.send_message(f"ringing {bell}")


@tree.command(name="slow", description="defer, then edit", guild=guild_object)
async def slow(interaction: discord.Interaction):
    await interaction.response.defer()
    await interaction.edit_original_response(content="done slowly")


@tree.command(name="twice", description="reply, then a follow-up", guild=guild_object)
async def twice(interaction: discord.Interaction):
    await interaction.response.send_message("once")
    await interaction.followup.send("twice")


@tree.command(name="secret", description="an ephemeral reply", guild=guild_object)
async def secret(interaction: discord.Interaction):
    await interaction.response.send_message("only you", ephemeral=True)


@client.event
async def on_message(message):
    if message.author.id != client.user.id:
        say("message " + json.dumps({"author": message.author.name, "content": message.content}))


ready_once = False


@client.event
async def on_ready():
    global ready_once
    if ready_once:
        return
    ready_once = True
    try:
        guild = await client.fetch_guild(guild_object.id)
        channels = await guild.fetch_channels()
        await tree.sync(guild=guild_object)
        notices = next(c for c in channels if c.name == "notices")
        sent = await notices.send("hello from discord.py")
        read = await notices.fetch_message(sent.id)
        await notices.send("second")
        history = [m.content async for m in notices.history(limit=5)]
        say(f"ready guild={guild.name} channels={len(channels)} read={json.dumps(read.content)} "
            f"history={json.dumps(history, separators=(',', ':'))}")
    except Exception as error:  # report any failure to the driving test, then stop
        say(f"error ready: {error!r}")
        await client.close()


async def join_voice():
    guild = client.get_guild(guild_object.id)
    hall = next(c for c in guild.voice_channels if c.name == "Hall")
    try:
        await hall.connect(timeout=20, reconnect=False)
        say("voice connected")
    except Exception as error:
        say(f"voice failed {type(error).__name__}: {error}")


async def orders():
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if line == "voice":
            await join_voice()
        elif line == "quit" or line == "":
            await client.close()
            return


async def main():
    async with client:
        await asyncio.gather(client.start(me["token"]), orders())


asyncio.run(main())
