package carillon.bot.playback;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Which bot accounts are in which guild, and which of those voice slots are playing. A slot is claimed
 * synchronously, before anything blocks, so two sessions can never take the same one.
 */
public final class Slots {
  // Guarded by this.
  private final Map<Long, Set<String>> accountsByGuild = new HashMap<>();
  private final Map<VoiceSlot, Long> busy = new HashMap<>();
  private final List<Consumer<VoiceSlot>> releaseListeners = new CopyOnWriteArrayList<>();

  public synchronized void join(String account, long guildId) {
    accountsByGuild.computeIfAbsent(guildId, g -> new LinkedHashSet<>()).add(account);
  }

  public synchronized void leave(String account, long guildId) {
    Set<String> accounts = accountsByGuild.get(guildId);
    if (accounts != null) {
      accounts.remove(account);
    }
  }

  /** The account is gone (shut down): it is in no guild any more. */
  public synchronized void leaveAll(String account) {
    accountsByGuild.values().forEach(accounts -> accounts.remove(account));
  }

  public synchronized List<String> accounts(long guildId) {
    return new ArrayList<>(accountsByGuild.getOrDefault(guildId, Set.of()));
  }

  /** Claims a free slot of the guild for the session: the first account in the guild that is not playing. */
  public synchronized Optional<VoiceSlot> claim(long guildId, long sessionId) {
    for (String account : accountsByGuild.getOrDefault(guildId, Set.of())) {
      VoiceSlot slot = new VoiceSlot(account, guildId);
      if (!busy.containsKey(slot)) {
        busy.put(slot, sessionId);
        return Optional.of(slot);
      }
    }
    return Optional.empty();
  }

  /** Frees a slot and tells the listeners (sessions waiting for a slot). */
  public void release(VoiceSlot slot) {
    synchronized (this) {
      busy.remove(slot);
    }
    releaseListeners.forEach(l -> l.accept(slot));
  }

  public synchronized Map<VoiceSlot, Long> busySlots() {
    return Map.copyOf(busy);
  }

  public void onRelease(Consumer<VoiceSlot> listener) {
    releaseListeners.add(listener);
  }
}
