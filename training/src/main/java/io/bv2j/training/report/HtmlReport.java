package io.bv2j.training.report;

import io.bv2j.io.AtomicFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * report.html in the model folder: one SVG line chart per loss from metrics.jsonl and the latest
 * evaluation images and audio. Self-contained (no scripts, no network), rewritten atomically.
 */
public final class HtmlReport {
    private static final int W = 640, H = 200, PAD = 40;

    private HtmlReport() {
    }

    public static void write(Path file, String title, List<Map<String, Object>> metrics, List<String> images,
                             List<String> audio) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title><style>body{font-family:sans-serif;margin:2em}svg{background:#fafafa;border:1px solid #ddd}"
                        + "figure{display:inline-block;margin:0 1em 1em 0}</style></head><body>");
        html.append("<h1>").append(escape(title)).append("</h1>");
        if (!metrics.isEmpty()) {
            Map<String, Object> last = metrics.getLast();
            html.append("<p>latest: step ").append(last.get("step")).append(", epoch ").append(last.get("epoch"))
                    .append("</p>");
        }
        for (String key : lossKeys(metrics)) html.append("<h3>").append(escape(key)).append("</h3>").append(chart(metrics, key));
        if (!images.isEmpty()) {
            html.append("<h2>latest evaluation</h2>");
            for (String img : images) {
                html.append("<figure><img src=\"").append(escape(img)).append("\" style=\"max-width:640px\"><figcaption>")
                        .append(escape(img)).append("</figcaption></figure>");
            }
        }
        for (String a : audio) {
            html.append("<p>").append(escape(a)).append("<br><audio controls src=\"").append(escape(a)).append("\"></audio></p>");
        }
        html.append("</body></html>\n");
        AtomicFile.write(file, out -> out.write(html.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> lossKeys(List<Map<String, Object>> metrics) {
        TreeSet<String> keys = new TreeSet<>();
        for (Map<String, Object> m : metrics) for (String k : m.keySet()) if (k.startsWith("loss/")) keys.add(k);
        return new ArrayList<>(keys);
    }

    private static String chart(List<Map<String, Object>> metrics, String key) {
        List<double[]> pts = new ArrayList<>();
        for (Map<String, Object> m : metrics) {
            if (m.get(key) instanceof Number v && m.get("step") instanceof Number s && Double.isFinite(v.doubleValue())) {
                pts.add(new double[]{s.doubleValue(), v.doubleValue()});
            }
        }
        if (pts.isEmpty()) return "<p>(no values)</p>";
        double x0 = pts.getFirst()[0], x1 = pts.getLast()[0], y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (double[] p : pts) {
            y0 = Math.min(y0, p[1]);
            y1 = Math.max(y1, p[1]);
        }
        if (x1 == x0) x1 = x0 + 1;
        if (y1 == y0) y1 = y0 + 1;
        StringBuilder poly = new StringBuilder();
        for (double[] p : pts) {
            double x = PAD + (p[0] - x0) / (x1 - x0) * (W - 2 * PAD), y = H - PAD - (p[1] - y0) / (y1 - y0) * (H - 2 * PAD);
            poly.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\"><polyline fill=\"none\" stroke=\"#2a6\" "
                        + "stroke-width=\"1.5\" points=\"%s\"/><text x=\"4\" y=\"14\" font-size=\"11\">%.4g</text>"
                        + "<text x=\"4\" y=\"%d\" font-size=\"11\">%.4g</text><text x=\"%d\" y=\"%d\" font-size=\"11\">step %.0f</text></svg>",
                W, H, poly, y1, H - PAD, y0, W - 110, H - 8, x1);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
