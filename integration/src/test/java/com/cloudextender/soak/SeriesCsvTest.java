package com.cloudextender.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class SeriesCsvTest {
    private static final Trend.Tolerance ANY = new Trend.Tolerance(0, 1);

    @Test
    void oneRowPerSampleAndAnEmptyCellWhereASampleHasNoValue() {
        SoakSeries s = new SoakSeries(new double[] {0, 0.5, 1},
                List.of(new Series("RSS", "MiB", "rss_mib", new double[] {100.25, 101, 102.5}, ANY),
                        new Series("command p99", "ms", "p99_ms", new double[] {Double.NaN, 30.125, 31}, ANY)),
                List.of(0.7), List.of());
        assertEquals("""
                minute,rss_mib,p99_ms
                0.00,100.25,
                0.50,101.00,30.13
                1.00,102.50,31.00
                """, SeriesCsv.series(s));
    }

    @Test
    void eventDetailsAreQuoted() {
        assertEquals("minute,event,detail\n3.50,cut,\"reconnected after 180 ms, \"\"ok\"\"\"\n",
                SeriesCsv.events(List.of(new SoakEvent(3.5, "cut", "reconnected after 180 ms, \"ok\""))));
    }

    @Test
    void aSeriesOfAnotherLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SoakSeries(new double[] {0, 1},
                List.of(new Series("RSS", "MiB", "rss_mib", new double[] {1}, ANY)), List.of(), List.of()));
    }
}
