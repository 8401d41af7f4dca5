package dev.fashiontrainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.fashiontrainer.config.ProgressMode;
import dev.fashiontrainer.progress.EpochProgress;
import dev.fashiontrainer.progress.WorkerProgress;

/** What the console shows of a running epoch, in each mode. */
class ProgressConsoleTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Two workers at {@code examples} each, mean loss 0.5. */
    private static EpochProgress news(int epoch, long examples) {
        return new EpochProgress(epoch, List.of(new WorkerProgress(epoch, 0, 235, examples, examples / 2.0, 1.0),
                new WorkerProgress(epoch, 1, 234, examples, examples / 2.0, 1.1)), true, System.currentTimeMillis());
    }

    /** Half of a 60,000-example epoch. */
    private static EpochProgress halfOfEpoch(int epoch) {
        return news(epoch, 15_000);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void barIsRedrawnInPlaceAndClearedWhenTheEpochIsTrained() throws InterruptedException {
        ProgressConsole console = new ProgressConsole(ProgressMode.BAR, 10, err, 3, 60_000);
        console.epochStarted(2);
        assertTrue(printed().startsWith("\rEpoch 2/3 [------------]   0% 0/60000 - ex/s loss - ETA -, run -"),
                printed());

        console.accept(news(2, 3_000)); // the first news: the rate is measured from here
        Thread.sleep(250); // redraws are at least 0.2 s apart
        console.accept(halfOfEpoch(2));
        String redrawn = printed().substring(printed().lastIndexOf('\r'));
        assertTrue(redrawn.startsWith("\rEpoch 2/3 [######------]  50% 30000/60000 "), redrawn);
        assertTrue(redrawn.contains(" loss 0.5000 ETA 0:00, run "), redrawn);
        assertFalse(printed().contains("\n"), "a bar never ends its line: " + printed());

        console.epochTrained();
        assertTrue(printed().endsWith("\r\033[K"), "the bar's line is cleared for what follows");
        int length = printed().length();
        console.accept(halfOfEpoch(2));
        assertEquals(length, printed().length(), "news after the epoch was trained is not drawn");
    }

    @Test
    void linesComeOnlyEveryIntervalAndCountEachWorkersMinibatches() throws InterruptedException {
        ProgressConsole console = new ProgressConsole(ProgressMode.LINES, 1, err, 3, 60_000);
        console.epochStarted(1);
        console.accept(news(1, 0));
        assertEquals("", printed(), "nothing before the first interval has passed");

        Thread.sleep(1_050);
        console.accept(halfOfEpoch(1));
        console.accept(halfOfEpoch(1));
        List<String> lines = printed().lines().toList();
        assertEquals(1, lines.size(), printed());
        assertTrue(lines.get(0).startsWith("Progress: epoch 1/3, 30000/60000 examples (50%), "), lines.get(0));
        assertTrue(lines.get(0).contains(" examples/s, loss 0.5000, ETA epoch 0:01, run 0:"), lines.get(0));
        assertTrue(lines.get(0).endsWith("; minibatches: worker 1 235, worker 2 234"), lines.get(0));
        assertFalse(printed().contains("\r"), "no terminal control characters in a log");
    }

    @Test
    void offShowsNothing() {
        ProgressConsole console = new ProgressConsole(ProgressMode.OFF, 1, err, 3, 60_000);
        console.epochStarted(1);
        console.accept(halfOfEpoch(1));
        console.epochTrained();
        assertEquals("", printed());
    }

    @Test
    void autoIsTheBarOnATerminalAndLinesElsewhere() {
        assertEquals(ProgressMode.BAR, ProgressMode.AUTO.resolve(true));
        assertEquals(ProgressMode.LINES, ProgressMode.AUTO.resolve(false));
        assertEquals(ProgressMode.OFF, ProgressMode.OFF.resolve(true));
    }

    @Test
    void durationsReadAsClockTimes() {
        assertEquals("0:05", ProgressConsole.duration(4.6));
        assertEquals("2:03", ProgressConsole.duration(123));
        assertEquals("1:02:03", ProgressConsole.duration(3723));
        assertEquals("-", ProgressConsole.duration(Double.NaN));
    }
}
