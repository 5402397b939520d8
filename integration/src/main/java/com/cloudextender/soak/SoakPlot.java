package com.cloudextender.soak;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * The soak's PNG: one panel per series over the minutes of the run, each titled with its start, end and
 * trend verdict; cuts are red dashed lines, module swaps blue dotted ones. Plain Java2D, headless.
 */
final class SoakPlot {
    private static final int WIDTH = 1000;
    private static final int PANEL = 150;
    private static final int HEADER = 44;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 22;
    private static final int BOTTOM = 22;
    private static final Color CUT = new Color(200, 40, 40);
    private static final Color SWAP = new Color(40, 90, 200);
    private static final Color LINE = new Color(20, 20, 20);
    private static final Color GRID = new Color(225, 225, 225);

    private SoakPlot() {
    }

    static void write(SoakSeries s, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Series> series = s.series();
        BufferedImage img = new BufferedImage(WIDTH, HEADER + PANEL * series.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(LINE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, 10, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setColor(CUT);
            g.drawString("red dashed: channel cut", 10, 36);
            g.setColor(SWAP);
            g.drawString("blue dotted: module swap", 170, 36);
            double maxMinute = Math.max(1e-9, Arrays.stream(s.minutes()).max().orElse(1));
            for (int i = 0; i < series.size(); i++) {
                panel(g, s, series.get(i), HEADER + i * PANEL, maxMinute);
            }
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(Graphics2D g, SoakSeries s, Series x, int y0, double maxMinute) {
        int top = y0 + TOP;
        int height = PANEL - TOP - BOTTOM;
        int width = WIDTH - LEFT - RIGHT;
        double[] v = x.values();
        double max = Arrays.stream(v).filter(d -> !Double.isNaN(d)).max().orElse(1);
        // From zero: a change looks as large as it is against the level (a few descriptors more on a hundred
        // is a small step, not a cliff across the panel).
        double lo = 0;
        double hi = Math.max(max * 1.15, 1e-9);
        Trend.Verdict verdict = x.verdict();
        g.setColor(LINE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        String name = x.name().equals(x.unit()) ? x.name() : x.name() + " (" + x.unit() + ")";
        g.drawString(String.format(Locale.ROOT, "%s: %s → %s; %s", name, Trend.plain(verdict.start()),
                Trend.plain(verdict.end()), verdict.describe()), LEFT, y0 + 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.setColor(GRID);
        for (int k = 0; k <= 4; k++) {
            int yy = top + height - k * height / 4;
            g.drawLine(LEFT, yy, LEFT + width, yy);
        }
        g.setColor(LINE);
        g.drawRect(LEFT, top, width, height);
        for (int k = 0; k <= 4; k++) {
            double val = lo + (hi - lo) * k / 4;
            g.drawString(Trend.plain(val), 8, top + height - k * height / 4 + 4);
        }
        double step = niceStep(maxMinute);
        for (double m = 0; m <= maxMinute + 1e-9; m += step) {
            int xx = LEFT + (int) Math.round(m / maxMinute * width);
            g.drawLine(xx, top + height, xx, top + height + 3);
            String label = step >= 1 ? Trend.plain(m) : String.format(Locale.ROOT, "%.2f", m);
            g.drawString(label + (m == 0 ? " min" : ""), xx - 6, top + height + 14);
        }
        marks(g, s.cutMinutes(), CUT, new float[] {5, 4}, maxMinute, top, height, width);
        marks(g, s.swapMinutes(), SWAP, new float[] {2, 3}, maxMinute, top, height, width);
        g.setColor(LINE);
        g.setStroke(new BasicStroke(1.6f));
        Path2D.Double line = new Path2D.Double();
        boolean started = false;
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                continue;
            }
            double px = LEFT + s.minutes()[i] / maxMinute * width;
            double py = top + height - (v[i] - lo) / (hi - lo) * height;
            if (started) {
                line.lineTo(px, py);
            } else {
                line.moveTo(px, py);
                started = true;
            }
            g.fillOval((int) px - 2, (int) py - 2, 4, 4);
        }
        g.draw(line);
        g.setStroke(new BasicStroke(1f));
    }

    private static void marks(Graphics2D g, List<Double> minutes, Color color, float[] dash, double maxMinute, int top,
            int height, int width) {
        g.setColor(color);
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        for (double m : minutes) {
            int xx = LEFT + (int) Math.round(m / maxMinute * width);
            g.drawLine(xx, top, xx, top + height);
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** A tick step of 1, 2 or 5 times a power of ten giving about ten ticks. */
    private static double niceStep(double range) {
        double raw = range / 10;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }
}
