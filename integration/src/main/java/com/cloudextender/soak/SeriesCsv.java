package com.cloudextender.soak;

import java.util.List;
import java.util.Locale;

/** The CSV files of a soak run: series.csv (one row per sample) and events.csv (cuts, syncs, swaps). */
final class SeriesCsv {
    private SeriesCsv() {
    }

    /** Header {@code minute,<column>…}; one row per sample; an empty cell where a sample has no value. */
    static String series(SoakSeries s) {
        StringBuilder b = new StringBuilder("minute");
        s.series().forEach(x -> b.append(',').append(x.column()));
        b.append('\n');
        for (int i = 0; i < s.minutes().length; i++) {
            b.append(number(s.minutes()[i]));
            for (Series x : s.series()) {
                b.append(',').append(number(x.values()[i]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** Header {@code minute,event,detail}; the detail is quoted, as it holds commas. */
    static String events(List<SoakEvent> events) {
        StringBuilder b = new StringBuilder("minute,event,detail\n");
        for (SoakEvent e : events) {
            b.append(number(e.minute())).append(',').append(e.kind()).append(",\"")
                    .append(e.detail().replace("\"", "\"\"")).append("\"\n");
        }
        return b.toString();
    }

    private static String number(double d) {
        return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.2f", d);
    }
}
