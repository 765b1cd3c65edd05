package carillon.bot.events;

import carillon.bot.discord.BotAccounts;
import carillon.bot.discord.GuildLanguage;
import carillon.bot.session.Session;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reminders by direct message, at the session's reminder time (beside the channel reminder): to the
 * members interested in its Discord event and to those who opted in with {@code /carillon remind on}.
 * Each member gets one try per reminder: a member whose DMs are closed (Discord's 50007) is counted and
 * not tried again until the next reminder; the count is a metric ({@link #refused()}) and in the one log
 * line per reminder.
 */
public final class DirectReminders {
  private static final Logger log = LoggerFactory.getLogger(DirectReminders.class);

  private final BotAccounts accounts;
  private final ScheduledEvents events;
  private final ReminderOptIns optIns;
  private final GuildLanguage language;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public DirectReminders(BotAccounts accounts, ScheduledEvents events, ReminderOptIns optIns, GuildLanguage language) {
    this.accounts = accounts;
    this.events = events;
    this.optIns = optIns;
    this.language = language;
  }

  /** Direct messages delivered so far. */
  public long sent() {
    return sent.get();
  }

  /** Direct messages Discord refused because the member does not accept them (50007). */
  public long refused() {
    return refused.get();
  }

  /** Direct messages that failed otherwise (Discord's other errors, timeouts). */
  public long failed() {
    return failed.get();
  }

  /**
   * Sends the reminder of {@code session}'s start at {@code start} to every member who wants one. Called
   * on a task of its own (best effort); blocks for the Discord requests, each with a timeout.
   */
  public void remind(Session session, Instant start) {
    Optional<Guild> guild = accounts.primaryIn(session.guildId()).flatMap(a -> accounts.guild(a, session.guildId()));
    if (guild.isEmpty()) {
      return;
    }
    Set<Long> members = new LinkedHashSet<>();
    Optional<Long> event = events.eventOf(session.id());
    if (event.isPresent()) {
      try {
        events.interested(session.guildId(), event.get()).stream().map(Member::getIdLong).forEach(members::add);
      } catch (ScheduledEvents.DiscordFailure e) {
        log.warn("Session '{}': who is interested in its Discord event could not be read: {}", session.name(),
            e.getMessage());
      }
    }
    members.addAll(optIns.of(session.guildId()));
    if (members.isEmpty()) {
      return;
    }
    String text = EventTexts.of(language.of(guild.get())).format("dm.reminder", session.name(),
        "<t:" + start.getEpochSecond() + ":R>", "<#" + session.voiceChannelId() + ">");
    JDA jda = guild.get().getJDA();
    int delivered = 0;
    int closed = 0;
    int other = 0;
    for (long member : members) {
      try {
        ScheduledEvents.complete(() -> jda.openPrivateChannelById(member).flatMap(dm -> dm.sendMessage(text)));
        delivered++;
      } catch (ScheduledEvents.DiscordFailure e) {
        if (e.getCause() instanceof ErrorResponseException error
            && error.getErrorResponse() == ErrorResponse.CANNOT_SEND_TO_USER) {
          closed++;
        } else {
          other++;
          log.debug("Reminder DM of '{}' to {} failed: {}", session.name(), member, e.getMessage());
        }
      }
    }
    sent.addAndGet(delivered);
    refused.addAndGet(closed);
    failed.addAndGet(other);
    log.info("Reminder of '{}' by direct message: {} delivered, {} refused (DMs closed), {} failed", session.name(),
        delivered, closed, other);
  }
}
