package dev.fashiontrainer.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG markup, drawn entirely here so that a report needs no script and no network:
 * axes with rounded ticks, one polyline with point markers per series, and a legend.
 */
public final class SvgLineChart {
    private static final int WIDTH = 560;
    private static final int HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 36;
    private static final int BOTTOM = 48;

    /**
     * One line of the chart.
     *
     * @param name legend text
     * @param color CSS colour of the line and its markers
     * @param x the x values
     * @param y the y values, as many as {@code x}
     */
    public record Series(String name, String color, double[] x, double[] y) {
    }

    private SvgLineChart() {
    }

    /**
     * @param title shown above the plot
     * @param xLabel the x axis' name
     * @param yLabel the y axis' name
     * @param yUnit printed after every y tick value, e.g. {@code "%"}; may be empty
     * @param series the lines, each with at least one point
     * @return an {@code <svg>} element
     */
    public static String render(String title, String xLabel, String yLabel, String yUnit, List<Series> series) {
        double[] xRange = range(series, true);
        double[] yRange = range(series, false);
        // Epochs: the axis spans the data (a little padded) with whole ticks inside it, as there is no epoch 0.
        double xPad = (xRange[1] - xRange[0]) * 0.03;
        Scale sx = new Scale(xRange[0] - xPad, xRange[1] + xPad, LEFT, WIDTH - RIGHT);
        List<Double> xTicks = ticks(xRange[0], xRange[1], true);
        // Values: the axis spans the ticks that enclose the data.
        List<Double> yTicks = ticks(yRange[0], yRange[1], false);
        Scale sy = new Scale(yTicks.get(0), yTicks.get(yTicks.size() - 1), HEIGHT - BOTTOM, TOP);
        // As many decimals as the tick step needs, so that neighbouring ticks never print alike.
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(yTicks.get(1) - yTicks.get(0)) + 1e-9));
        String yFormat = "%." + decimals + "f" + yUnit.replace("%", "%%");

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                + " role=\"img\" aria-label=\"%s\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT, Html.escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" class=\"title\">%s</text>%n", LEFT,
                Html.escape(title)));
        for (double t : yTicks) {
            double y = sy.map(t);
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>%n",
                    LEFT, y, WIDTH - RIGHT, y, LEFT - 6, y + 4, String.format(Locale.ROOT, yFormat, t)));
        }
        for (double t : xTicks) {
            double x = sx.map(t);
            svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>%n",
                    x, HEIGHT - BOTTOM, x, HEIGHT - BOTTOM + 5, x, HEIGHT - BOTTOM + 18, (long) t));
        }
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                + "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                LEFT, TOP, LEFT, HEIGHT - BOTTOM, LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"middle\">%s"
                + "</text>%n", (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 10, Html.escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" class=\"label\" text-anchor=\"middle\""
                + " transform=\"rotate(-90 16 %d)\">%s</text>%n", (TOP + HEIGHT - BOTTOM) / 2,
                (TOP + HEIGHT - BOTTOM) / 2, Html.escape(yLabel)));
        int legendX = WIDTH - RIGHT - 150;
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            StringBuilder points = new StringBuilder();
            StringBuilder markers = new StringBuilder();
            for (int i = 0; i < line.x().length; i++) {
                double x = sx.map(line.x()[i]);
                double y = sy.map(line.y()[i]);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                markers.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"/>", x, y));
            }
            svg.append(String.format(Locale.ROOT, "<g class=\"series\" stroke=\"%s\" fill=\"%s\">"
                    + "<polyline fill=\"none\" stroke-width=\"2.5\" points=\"%s\"/>%s</g>%n",
                    line.color(), line.color(), points.toString().trim(), markers));
            int legendY = TOP + 8 + 18 * s;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"2.5\"/><text x=\"%d\" y=\"%d\" class=\"legend\">%s</text>%n",
                    legendX, legendY, legendX + 22, legendY, line.color(), legendX + 28, legendY + 4,
                    Html.escape(line.name())));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double[] range(List<Series> series, boolean xAxis) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series line : series) {
            for (double v : xAxis ? line.x() : line.y()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (!(min < max)) { // one epoch, or a flat line: give the axis some extent around it
            double pad = xAxis ? 0.5 : min == 0 ? 1 : Math.abs(min) * 0.05;
            return new double[] {min - pad, max + pad};
        }
        return new double[] {min, max};
    }

    /**
     * About five round tick values: for the epoch axis whole numbers within {@code [min, max]}, otherwise values
     * from one at or below {@code min} to one at or above {@code max}.
     */
    private static List<Double> ticks(double min, double max, boolean whole) {
        double raw = (max - min) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double factor : new double[] {1, 2, 5, 10}) {
            step = factor * magnitude;
            if (step >= raw) {
                break;
            }
        }
        if (whole) {
            step = Math.max(1, Math.ceil(step));
        }
        List<Double> ticks = new ArrayList<>();
        double first = (whole ? Math.ceil(min / step) : Math.floor(min / step)) * step;
        double last = whole ? max + 1e-9 : max + step * 0.999;
        for (double t = first; t < last; t += step) {
            ticks.add(t);
        }
        return ticks;
    }

    /** Linear map from data values to pixels. */
    private record Scale(double from, double to, double pixelFrom, double pixelTo) {
        double map(double value) {
            return pixelFrom + (value - from) / (to - from) * (pixelTo - pixelFrom);
        }
    }
}
