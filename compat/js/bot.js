// A small discord.js 14 + @discordjs/voice bot against carillon-emulator, driven by ForeignClientsTest.
// Usage: node bot.js DESCRIPTION.json BOT_NAME GUILD_NAME
// The description is what `carillon emulator --describe` writes. The bot prints one line per step on
// stdout ("ready ...", "message {...}", "voice playing", "voice played ...") and takes orders on stdin
// ("voice", "quit"); once in voice it reports the connection's state changes ("voice state disconnected"). The only setting beyond an ordinary bot is the REST base URL (discord.js hard-codes
// discord.com); the gateway URL comes from GET /gateway/bot, as on Discord.
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');
const { Readable } = require('node:stream');
const {
  Client, Events, GatewayIntentBits, MessageFlags, SlashCommandBuilder,
} = require('discord.js');
const {
  joinVoiceChannel, createAudioPlayer, createAudioResource, StreamType, AudioPlayerStatus,
  VoiceConnectionStatus, entersState,
} = require('@discordjs/voice');

const [descriptionFile, botName, guildName] = process.argv.slice(2);
const description = JSON.parse(fs.readFileSync(descriptionFile, 'utf8'));
const me = description.bots[botName];
const guildInfo = description.guilds[guildName];
const say = (line) => process.stdout.write(line + '\n');
const fail = (what, error) => {
  say(`error ${what}: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
};

// GUILD_MESSAGES but no MESSAGE_CONTENT: plain messages arrive blank, mentions of the bot do not.
const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildVoiceStates],
  rest: { api: description.rest.replace(/\/v10\/?$/, '') },
});

const TONE_HZ = 440;
const TONE_SECONDS = 4;

/** 48 kHz 16-bit stereo PCM of a sine at TONE_HZ, half full scale. */
function tone() {
  const samples = 48000 * TONE_SECONDS;
  const pcm = Buffer.alloc(samples * 4);
  for (let i = 0; i < samples; i++) {
    const v = Math.round(16383 * Math.sin((2 * Math.PI * TONE_HZ * i) / 48000));
    pcm.writeInt16LE(v, i * 4);
    pcm.writeInt16LE(v, i * 4 + 2);
  }
  return pcm;
}

const commands = [
  new SlashCommandBuilder().setName('ring').setDescription('ring a bell')
    .addStringOption((o) => o.setName('bell').setDescription('which bell').setAutocomplete(true)),
  new SlashCommandBuilder().setName('slow').setDescription('defer, then edit'),
  new SlashCommandBuilder().setName('twice').setDescription('reply, then a follow-up'),
  new SlashCommandBuilder().setName('secret').setDescription('an ephemeral reply'),
];

client.on(Events.InteractionCreate, async (interaction) => {
  try {
    if (interaction.isAutocomplete()) {
      const typed = interaction.options.getFocused();
      await interaction.respond(['Morning bell', 'Evening gong', 'Temple bell']
        .filter((name) => name.toLowerCase().includes(typed.toLowerCase()))
        .map((name) => ({ name, value: name })));
      return;
    }
    if (!interaction.isChatInputCommand()) return;
    switch (interaction.commandName) {
      case 'ring':
        await interaction.reply(`ringing ${interaction.options.getString('bell') ?? 'the bell'}`);
        break;
      case 'slow':
        await interaction.deferReply();
        await interaction.editReply('done slowly');
        break;
      case 'twice':
        await interaction.reply('once');
        await interaction.followUp('twice');
        break;
      case 'secret':
        await interaction.reply({ content: 'only you', flags: MessageFlags.Ephemeral });
        break;
      default:
        break;
    }
  } catch (error) {
    fail(`interaction ${interaction.commandName}`, error);
  }
});

client.on(Events.MessageCreate, (message) => {
  if (message.author.id === client.user.id) return;
  say('message ' + JSON.stringify({ author: message.author.username, content: message.content }));
});

client.once(Events.ClientReady, async () => {
  try {
    const guild = await client.guilds.fetch(guildInfo.id);
    const channels = await guild.channels.fetch();
    await guild.commands.set(commands.map((c) => c.toJSON()));
    const notices = channels.find((c) => c.name === 'notices');
    const sent = await notices.send('hello from discord.js');
    const read = await notices.messages.fetch(sent.id);
    await notices.send('second');
    const history = await notices.messages.fetch({ limit: 5, cache: false });
    say(`ready guild=${guild.name} channels=${channels.size} read=${JSON.stringify(read.content)} `
        + `history=${JSON.stringify(history.map((m) => m.content))}`);
  } catch (error) {
    fail('ready', error);
  }
});

async function playTone() {
  const guild = await client.guilds.fetch(guildInfo.id);
  const hall = guild.channels.cache.find((c) => c.name === 'Hall');
  const connection = joinVoiceChannel({
    channelId: hall.id, guildId: guild.id, adapterCreator: guild.voiceAdapterCreator, selfDeaf: true,
  });
  await entersState(connection, VoiceConnectionStatus.Ready, 20_000);
  connection.on('stateChange', (before, after) => {
    if (before.status !== after.status) say(`voice state ${after.status}`);
  });
  const player = createAudioPlayer();
  connection.subscribe(player);
  player.play(createAudioResource(Readable.from([tone()]), { inputType: StreamType.Raw }));
  await entersState(player, AudioPlayerStatus.Playing, 10_000);
  say('voice playing');
  await entersState(player, AudioPlayerStatus.Idle, 60_000);
  say(`voice played ${TONE_SECONDS}s of ${TONE_HZ} Hz, connection ${connection.state.status}`);
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'voice') {
    playTone().catch((error) => fail('voice', error));
  } else if (line === 'quit') {
    client.destroy().then(() => process.exit(0));
  }
});

client.login(me.token).catch((error) => fail('login', error));
