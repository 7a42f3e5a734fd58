package io.bv2j.training.report;

import io.bv2j.Bv2jException;
import io.bv2j.io.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** metrics.jsonl: one JSON object per logged step (step, epoch, lr, losses, steps/s), appended and flushed. */
public final class MetricsLog {
    private final Path file;

    public MetricsLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public void append(Map<String, Object> record) {
        try {
            Files.writeString(file, Json.writeCompact(record) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new Bv2jException(file + ": cannot append metrics: " + e.getMessage(), e);
        }
    }

    /** Every record written so far (a torn last line from a killed run is skipped). */
    public List<Map<String, Object>> read() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                try {
                    out.add(new LinkedHashMap<>(Json.obj(Json.parse(line), file.toString())));
                } catch (Bv2jException torn) {
                    // A run killed mid-write leaves at most one partial line.
                }
            }
        } catch (IOException e) {
            throw new Bv2jException(file + ": cannot read metrics: " + e.getMessage(), e);
        }
        return out;
    }
}
