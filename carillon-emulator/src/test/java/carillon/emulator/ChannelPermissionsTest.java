package carillon.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-channel permission overwrites with Discord's computation (roles, Administrator, then the channel's
 * {@code @everyone}, role and member overwrites), seen by JDA through CHANNEL_UPDATE and enforced on
 * messages with {@code 403 50013 Missing Permissions}.
 */
class ChannelPermissionsTest {
  static final long SEND = Permission.MESSAGE_SEND.getRawValue();
  static final long EMBED = Permission.MESSAGE_EMBED_LINKS.getRawValue();
  static final long VIEW = Permission.VIEW_CHANNEL.getRawValue();

  DiscordEmulator discord;
  RawDiscord raw;
  Sangha sangha;

  @BeforeEach
  void start() {
    discord = DiscordEmulator.start();
    raw = new RawDiscord(discord);
    sangha = Sangha.in(discord);
    sangha.guild().setEveryonePermissions(GuildHandle.MEMBER_PERMISSIONS);
  }

  @AfterEach
  void stop() {
    discord.close();
  }

  /** A message the bot posts in #notices through REST. */
  RawDiscord.Answer post(String body) throws Exception {
    return raw.rest("POST", "/channels/" + sangha.notices() + "/messages", sangha.bot(), body);
  }

  @Test
  void overwritesApplyEveryoneThenRolesThenTheMember() throws Exception {
    GuildHandle guild = sangha.guild();
    long notices = sangha.notices();
    UserHandle alice = discord.createUser("alice");
    UserHandle bao = discord.createUser("bao");
    UserHandle carol = discord.createUser("carol");
    UserHandle dana = discord.createUser("dana");
    for (UserHandle user : new UserHandle[] {alice, bao, carol, dana}) {
      guild.addMember(user);
    }
    long speakers = guild.createRole("speakers", 0);
    long muted = guild.createRole("muted", 0);
    long admins = guild.createRole("admins", GuildHandle.ADMINISTRATOR);
    guild.giveRole(alice.id(), speakers);
    guild.giveRole(bao.id(), speakers);
    guild.giveRole(bao.id(), muted);
    guild.giveRole(dana.id(), admins);
    guild.overwriteForRole(notices, guild.id(), 0, SEND); // @everyone may not write here
    guild.overwriteForRole(notices, speakers, SEND | EMBED, 0); // speakers may
    guild.overwriteForRole(notices, muted, 0, SEND);            // role allows win over role denies
    guild.overwriteForMember(notices, alice.id(), 0, SEND); // but alice's own overwrite wins over all

    assertThat(guild.permissions(alice.id(), notices) & SEND).isZero();
    assertThat(guild.permissions(bao.id(), notices) & (SEND | EMBED)).isEqualTo(SEND | EMBED);
    assertThat(guild.permissions(carol.id(), notices) & SEND).isZero();
    assertThat(guild.permissions(carol.id(), notices) & VIEW).isEqualTo(VIEW);
    // Administrator: all, overwrites or not
    assertThat(guild.permissions(dana.id(), notices)).isEqualTo((1L << 53) - 1);

    // Over HTTP, the same computation, the bits as a string.
    assertThat(raw.control("GET", "/channels/" + notices + "/permissions/" + bao.id(), null).body()
        .get("permissions").asText()).isEqualTo(Long.toString(guild.permissions(bao.id(), notices)));

    // Without View Channel nothing else counts.
    guild.overwriteForMember(notices, bao.id(), 0, VIEW);
    assertThat(guild.permissions(bao.id(), notices)).isZero();
    guild.removeOverwrite(notices, bao.id());
    assertThat(guild.permissions(bao.id(), notices) & SEND).isEqualTo(SEND);
  }

  @Test
  void withoutOverwritesPermissionsAreTheGuildOnes() {
    UserHandle alice = discord.createUser("alice");
    sangha.guild().addMember(alice);
    assertThat(sangha.guild().permissions(alice.id(), sangha.notices())).isEqualTo(GuildHandle.MEMBER_PERMISSIONS);
  }

  @Test
  void jdaSeesOverwritesChangedAtRunTimeOverHttp() throws Exception {
    JDA jda = discord.configure(JDABuilder.createDefault(sangha.bot().token())).build().awaitReady();
    try {
      assertThat(jda.getTextChannelById(sangha.notices()).canTalk()).isTrue();
      assertThat(raw.control("PUT", "/channels/" + sangha.notices() + "/overwrites/" + sangha.bot().id(),
          "{\"type\":\"member\",\"allow\":\"0\",\"deny\":\"" + SEND + "\"}").status()).isEqualTo(204);
      await().atMost(Duration.ofSeconds(10)).until(() -> !jda.getTextChannelById(sangha.notices()).canTalk());
      assertThatThrownBy(() -> jda.getTextChannelById(sangha.notices()).sendMessage("hi").complete())
          .isInstanceOf(InsufficientPermissionException.class);
      assertThat(raw.control("GET", "/guilds", null).body().get(0).get("channels").get(0).get("overwrites").get(0)
          .get("deny").asText()).isEqualTo(Long.toString(SEND));
      String overwrite = "/channels/" + sangha.notices() + "/overwrites/" + sangha.bot().id();
      assertThat(raw.control("DELETE", overwrite, null).status())
          .isEqualTo(204);
      await().atMost(Duration.ofSeconds(10)).until(() -> jda.getTextChannelById(sangha.notices()).canTalk());
      jda.getTextChannelById(sangha.notices()).sendMessage("hi").complete();
      assertThat(discord.messages(sangha.notices())).extracting(SentMessage::content).containsExactly("hi");
    } finally {
      Jdas.stop(jda);
    }
  }

  @Test
  void discordRefusesMessagesTheBotMayNotSend() throws Exception {
    String text = "{\"content\":\"hello\"}";
    String withEmbed = "{\"embeds\":[{\"description\":\"hello\"}]}";
    // Send Messages but no Embed Links: text goes, an embed is refused.
    assertThat(post(text).status()).isEqualTo(200);
    RawDiscord.Answer refused = post(withEmbed);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().get("code").asInt()).isEqualTo(50013);
    assertThat(refused.body().get("message").asText()).isEqualTo("Missing Permissions");
    sangha.guild().overwriteForMember(sangha.notices(), sangha.bot().id(), EMBED, 0);
    assertThat(post(withEmbed).status()).isEqualTo(200);
    // Send Messages denied, then View Channel denied: nothing goes.
    sangha.guild().overwriteForMember(sangha.notices(), sangha.bot().id(), EMBED, SEND);
    assertThat(post(text).body().get("code").asInt())
        .isEqualTo(50013);
    sangha.guild().overwriteForRole(sangha.notices(), sangha.guild().id(), 0, VIEW);
    sangha.guild().removeOverwrite(sangha.notices(), sangha.bot().id());
    assertThat(post(text).status()).isEqualTo(403);
    assertThat(discord.messages(sangha.notices())).hasSize(2);
  }

  @Test
  void interactionsCarryPermissionsInTheChannelAndCommandsFollowThem() throws Exception {
    UserHandle alice = discord.createUser("alice");
    sangha.guild().addMember(alice);
    long quiet = sangha.guild().createTextChannel("quiet");
    raw.rest("PUT", "/applications/" + sangha.bot().applicationId() + "/commands", sangha.bot(),
        "[{\"name\":\"ping\",\"description\":\"pong\"}]");
    sangha.guild().overwriteForMember(sangha.notices(), alice.id(), EMBED, 0);
    sangha.guild().overwriteForRole(quiet, sangha.guild().id(), 0, Permission.USE_APPLICATION_COMMANDS.getRawValue());
    try (RawDiscord.Gateway gateway = raw.gateway(sangha.bot(), 1)) {
      alice.runSlashCommand(sangha.notices(), sangha.bot(), "ping", Map.of());
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.types().contains("INTERACTION_CREATE"));
      var event = gateway.dispatches.stream().filter(d -> d.get("t").asText().equals("INTERACTION_CREATE"))
          .findFirst().orElseThrow().get("d");
      assertThat(event.get("member").get("permissions").asText())
          .isEqualTo(Long.toString(GuildHandle.MEMBER_PERMISSIONS | EMBED));
    }
    assertThatThrownBy(() -> alice.runSlashCommand(quiet, sangha.bot(), "ping", Map.of()))
        .isInstanceOf(CommandNotAvailableException.class).hasMessageContaining("Use Application Commands");
  }
}
