package carillon.emulator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that starts one {@link DiscordEmulator} per test class, closes it after the class,
 * and injects it into constructors, lifecycle methods and tests that take a {@code DiscordEmulator}
 * parameter.
 *
 * <pre>{@code
 * @ExtendWith(EmulatorExtension.class)
 * class MyBotTest {
 *   @Test
 *   void replies(DiscordEmulator discord) {
 *     BotAccount bot = discord.createBot("bot");
 *     ...
 *   }
 * }
 * }</pre>
 */
public final class EmulatorExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmulatorExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    emulator(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    DiscordEmulator emulator = context.getStore(NAMESPACE).remove(DiscordEmulator.class, DiscordEmulator.class);
    if (emulator != null) {
      emulator.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DiscordEmulator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return emulator(context);
  }

  private static DiscordEmulator emulator(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext.getStore(NAMESPACE)
        .getOrComputeIfAbsent(DiscordEmulator.class, key -> DiscordEmulator.start(), DiscordEmulator.class);
  }
}
