// The peer a community would otherwise pick, for carillon-bot's streams benchmark (PeerStreamsBenchmark,
// docs/performance.md): a minimal discord.js 14 + @discordjs/voice bot that joins the voice channel "Hall"
// of N guilds and plays one Ogg/Opus file in each, demuxed and sent as it is (StreamType.OggOpus: no
// decoding, no encoding), as Carillon plays its Opus copies.
// Usage: node peer-streams.js DESCRIPTION.json BOT_NAME OPUS_FILE
// Prints "joined N", then "playing N" once every guild plays, then "idle N" once every track ended; "quit"
// on stdin ends it.
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');
const { Client, Events, GatewayIntentBits } = require('discord.js');
const {
  joinVoiceChannel, createAudioPlayer, createAudioResource, StreamType, AudioPlayerStatus,
  VoiceConnectionStatus, entersState,
} = require('@discordjs/voice');

const [descriptionFile, botName, opusFile] = process.argv.slice(2);
const description = JSON.parse(fs.readFileSync(descriptionFile, 'utf8'));
const me = description.bots[botName];
const say = (line) => process.stdout.write(line + '\n');

const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
  rest: { api: description.rest.replace(/\/v10\/?$/, '') },
});

async function playIn(guild) {
  const channels = await guild.channels.fetch();
  const hall = channels.find((c) => c.name === 'Hall');
  const connection = joinVoiceChannel({
    channelId: hall.id, guildId: guild.id, adapterCreator: guild.voiceAdapterCreator, selfDeaf: true,
  });
  await entersState(connection, VoiceConnectionStatus.Ready, 60_000);
  const player = createAudioPlayer();
  connection.subscribe(player);
  return { connection, player };
}

client.once(Events.ClientReady, async () => {
  try {
    const guilds = [...client.guilds.cache.values()]; // from GUILD_CREATE, before ready
    const playing = await Promise.all(guilds.map(playIn));
    say(`joined ${playing.length}`);
    // Every guild starts at once, as Carillon's sessions at one scheduled instant do.
    for (const { player } of playing) {
      player.play(createAudioResource(fs.createReadStream(opusFile), { inputType: StreamType.OggOpus }));
    }
    await Promise.all(playing.map(({ player }) => entersState(player, AudioPlayerStatus.Playing, 30_000)));
    say(`playing ${playing.length}`);
    await Promise.all(playing.map(({ player }) => entersState(player, AudioPlayerStatus.Idle, 600_000)));
    say(`idle ${playing.length}`);
  } catch (error) {
    say(`error ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  }
});

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'quit') {
    client.destroy().then(() => process.exit(0));
  }
});

client.login(me.token).catch((error) => {
  say(`error login: ${error}`);
  process.exit(1);
});
