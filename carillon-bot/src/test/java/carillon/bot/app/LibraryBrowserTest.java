package carillon.bot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import carillon.bot.library.AudioItem;
import carillon.bot.session.Session;
import carillon.bot.session.SessionSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The library page (issue 17) in a real headless Chromium against the whole application: files dropped on the
 * upload form, each file's waveform and loudness, its preview playing from the Ogg/Opus copy; and the schedule
 * editor reading a saved rule back.
 */
class LibraryBrowserTest extends InChromium {

  @BeforeEach
  void logIn() {
    logInWithPassword();
  }

  /** A 48 kHz stereo 16-bit WAV: one second of silence, then one of a 440 Hz sine at half of full scale. */
  static byte[] silenceThenTone() {
    int frames = 2 * 48_000;
    ByteBuffer wav = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes()).putInt(36 + frames * 4).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
        .putShort((short) 1).putShort((short) 2).putInt(48_000).putInt(48_000 * 4).putShort((short) 4)
        .putShort((short) 16).put("data".getBytes()).putInt(frames * 4);
    for (int i = 0; i < frames; i++) {
      short s = i < 48_000 ? 0 : (short) Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
      wav.putShort(s).putShort(s);
    }
    return wav.array();
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  @Test
  void aFileDroppedOnTheLibraryIsUploadedAndShownWithItsWaveformLoudnessAndAPreview() throws Exception {
    browser.get(base + "/library");
    WebElement zone = chromium.visible(By.id("drop-zone"));
    // Selenium cannot make Chromium drag a file from the desktop: the page gets the DragEvents a drop fires,
    // with the file in a DataTransfer, as Chromium would give them.
    js("const [zone, base64] = arguments;"
        + "const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));"
        + "const data = new DataTransfer();"
        + "data.items.add(new File([bytes], 'Half silent.wav', {type: 'audio/wav'}));"
        + "zone.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));"
        + "zone.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));",
        zone, Base64.getEncoder().encodeToString(silenceThenTone()));
    assertThat(browser.findElement(By.id("drop-status")).getText()).isEqualTo("1 file(s) ready to upload: Half silent.wav");
    assertThat(browser.findElement(By.id("drop-status")).getDomAttribute("aria-live")).isEqualTo("polite");
    assertThat(js("return document.querySelector('form.upload input[type=file]').files.length")).isEqualTo(1L);
    browser.findElement(By.cssSelector("form.upload button[type=submit]")).click();
    waiting.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("table input[name=name]"), 1));
    assertThat(browser.findElement(By.cssSelector("table input[name=name]")).getDomProperty("value")).isEqualTo("Half silent");

    // The waveform: an inline SVG named for the file, low for the silent second, high for the tone.
    WebElement svg = browser.findElement(By.cssSelector("td.listen svg.waveform"));
    assertThat(svg.getDomAttribute("role")).isEqualTo("img");
    assertThat(svg.getDomAttribute("aria-label")).isEqualTo("Waveform of Half silent");
    String d = svg.findElement(By.tagName("path")).getDomAttribute("d");
    List<Double> heights = new ArrayList<>();
    Matcher line = Pattern.compile("M\\d+\\.5 ([\\d.]+)V([\\d.]+)").matcher(d);
    while (line.find()) {
      heights.add(Double.parseDouble(line.group(2)) - Double.parseDouble(line.group(1)));
    }
    assertThat(heights).hasSize(160);
    assertThat(heights.subList(0, 78)).allMatch(h -> h <= 1.0); // a hairline
    assertThat(heights.subList(82, 160)).allMatch(h -> h >= 18 && h <= 22); // half of the 40-high box
    // Loudness: a sine at half of full scale is -6.0 dBTP and -6.7 LUFS; the gate leaves out the silent
    // second's blocks, but not the three 400 ms blocks that straddle the edge (a quarter, half and three quarters
    // tone): of the ten blocks measured, the mean power is 8.5/10 of the tone's, 0.7 dB less: -7.4 LUFS.
    String row = browser.findElement(By.cssSelector("table tbody tr")).getText();
    Matcher loudness = Pattern.compile("(-?\\d+\\.\\d) LUFS, peak (-?\\d+\\.\\d) dBTP").matcher(row);
    assertThat(loudness.find()).as(row).isTrue();
    assertThat(Double.parseDouble(loudness.group(1))).isBetween(-7.6, -7.2);
    assertThat(Double.parseDouble(loudness.group(2))).isBetween(-6.3, -5.7);

    // The preview: an <audio> that loads nothing until asked, then plays the Ogg/Opus copy (two seconds).
    WebElement audio = browser.findElement(By.cssSelector("td.listen audio"));
    assertThat(audio.getDomAttribute("preload")).isEqualTo("none");
    assertThat(audio.getDomAttribute("aria-label")).isEqualTo("Listen to Half silent");
    assertThat(js("return arguments[0].readyState", audio)).isEqualTo(0L);
    js("arguments[0].preload = 'auto'; arguments[0].load();", audio);
    await().atMost(WAIT).until(() -> ((Number) js("return arguments[0].readyState", audio)).intValue() >= 1);
    assertThat(js("return arguments[0].error && arguments[0].error.message", audio)).isNull();
    assertThat(((Number) js("return arguments[0].duration", audio)).doubleValue()).isBetween(1.9, 2.1);
    chromium.screenshot("20-library-waveform");

    assertThat(chromium.seriousViolations()).as("axe-core: serious or critical violations on the library page").isEmpty();
  }

  @Test
  void theScheduleEditorShowsASavedFirstSundayRuleAndSaysWhenItCannot() throws Exception {
    AudioItem tone = world.audio("Tone", DemoAudio.tone(440, 1));
    Session firstSunday = world.session(SessionSpec.builder(world.guild.id(), "First Sunday sit").voiceChannel(world.hall)
        .schedule("rrule FREQ=MONTHLY;BYDAY=1SU from 2027-01-03T07:00 UTC except 2027-02-07").playlist(List.of(tone.id()))
        .gap(Duration.ZERO).lateGrace(Duration.ofMinutes(15)).build());
    Session cron = world.session(SessionSpec.builder(world.guild.id(), "Cron sit").voiceChannel(world.hall)
        .schedule("cron 0 7 * * 1-5 UTC").playlist(List.of(tone.id()))
        .gap(Duration.ZERO).lateGrace(Duration.ofMinutes(15)).build());

    browser.get(base + "/sessions/" + firstSunday.id() + "/edit");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ed-status"), "The editor shows the saved schedule."));
    assertThat(js("return document.getElementById('ed-frequency').value")).isEqualTo("MONTHLY");
    assertThat(js("return document.getElementById('ed-nth').value")).isEqualTo("1");
    assertThat(js("return document.getElementById('ed-nth-day').value")).isEqualTo("SU");
    assertThat(js("return document.getElementById('ed-time').value")).isEqualTo("07:00");
    assertThat(js("return document.getElementById('ed-zone').value")).isEqualTo("UTC");
    assertThat(js("return document.getElementById('ed-from').value")).isEqualTo("2027-01-03");
    assertThat(browser.findElement(By.id("ed-monthly")).isDisplayed()).isTrue();
    assertThat(browser.findElement(By.id("ed-weekdays")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.id("ed-exceptions")).getText()).contains("2027-02-07");
    // Reading it back leaves the saved text as it was; writing it again from the controls gives the same rule.
    String saved = "rrule FREQ=MONTHLY;BYDAY=1SU from 2027-01-03T07:00 UTC except 2027-02-07";
    assertThat(browser.findElement(By.name("schedule")).getDomProperty("value")).isEqualTo(saved);
    browser.findElement(By.id("ed-apply")).click();
    assertThat(browser.findElement(By.name("schedule")).getDomProperty("value")).isEqualTo(saved);
    chromium.screenshot("21-schedule-editor-read-back");

    browser.get(base + "/sessions/" + cron.id() + "/edit");
    waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ed-status"),
        "The editor cannot show this schedule; it is shown in the text form below."));
    assertThat(browser.findElement(By.name("schedule")).getDomProperty("value")).isEqualTo("cron 0 7 * * 1-5 UTC");
  }
}
