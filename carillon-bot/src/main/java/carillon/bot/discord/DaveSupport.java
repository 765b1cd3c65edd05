package carillon.bot.discord;

import club.minnced.discord.jdave.ffi.LibDave;
import club.minnced.discord.jdave.ffi.LibDaveBindingException;
import club.minnced.discord.jdave.interop.JDaveSessionFactory;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import net.dv8tion.jda.api.audio.dave.DaveSessionFactory;

/**
 * Whether this machine can speak DAVE, the end-to-end voice encryption real Discord requires. JDAVE's
 * native library needs glibc 2.38 or newer; where it does not load, Carillon says so once and refuses to
 * join voice instead of failing inside Discord's voice handshake.
 */
public sealed interface DaveSupport {

  /** DAVE works: JDA gets JDAVE's session factory. */
  record Available(DaveSessionFactory factory, int maxProtocolVersion) implements DaveSupport {}

  /** DAVE does not work here: {@code reason} is one line a person can act on. */
  record Unavailable(String reason) implements DaveSupport {}

  /** Loads JDAVE's native library once and reports the result. */
  static DaveSupport probe() {
    try {
      int version = LibDave.getMaxSupportedProtocolVersion();
      return new Available(new JDaveSessionFactory(), version);
    } catch (LinkageError | LibDaveBindingException e) {
      // An ExceptionInInitializerError when libdave.so does not load, or JDAVE's own binding error.
      // Nothing else is caught: a bug here stays loud.
      return new Unavailable(unavailableReason(glibcVersion().orElse("not glibc"), System.getProperty("os.arch")));
    }
  }

  /**
   * One line an operator can act on: what this machine has ({@code glibc} version, CPU {@code arch} as
   * {@code os.arch} names it), what JDAVE 0.1.5's native library needs, and the fix.
   */
  static String unavailableReason(String glibc, String arch) {
    String found = switch (arch) {
      case "amd64", "x86_64", "aarch64" -> "this machine has glibc " + glibc + " on " + arch
          + "; JDAVE's native library needs glibc 2.38 or newer and libstdc++ from GCC 13 (GLIBCXX_3.4.32)";
      default -> "JDAVE has no native library for the CPU architecture " + arch + " (only x86-64 and aarch64)";
    };
    return "voice is off: real Discord requires DAVE voice encryption, and JDAVE's native library does not load ("
        + found + "). Fix: run Carillon's container image (docs/operations.md), or a system with glibc 2.38+ such "
        + "as Debian 13 or Ubuntu 24.04. Sessions that need voice are recorded as failed until then.";
  }

  /** What {@code carillon config} and the start-up log say about voice on this machine. */
  default String describe() {
    return switch (this) {
      case Available available -> "available (DAVE protocol version " + available.maxProtocolVersion() + ")";
      case Unavailable off -> "unavailable: " + off.reason();
    };
  }

  /** The C library's version, read through the FFM API; empty where it is not glibc. */
  static Optional<String> glibcVersion() {
    Linker linker = Linker.nativeLinker();
    return linker.defaultLookup().find("gnu_get_libc_version").map(symbol -> {
      try {
        MemorySegment text = (MemorySegment) linker.downcallHandle(symbol, FunctionDescriptor.of(ValueLayout.ADDRESS))
            .invokeExact();
        return text.reinterpret(32, Arena.global(), null).getString(0);
      } catch (Throwable e) {
        throw new IllegalStateException("gnu_get_libc_version could not be called", e);
      }
    });
  }
}
