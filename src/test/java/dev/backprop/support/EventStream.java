package dev.backprop.support;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The events of a Server-Sent Events body, as {@code GET /jobs/{id}/events} writes them (one data line each). */
public final class EventStream {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventStream() {
    }

    /** One event: its name, its id (0 without one) and its data. */
    public record Event(String name, long id, JsonNode data) {
    }

    public static List<Event> parse(String body) {
        List<Event> events = new ArrayList<>();
        String name = "message";
        long id = 0;
        for (String line : body.lines().toList()) {
            if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("id:")) {
                id = Long.parseLong(line.substring(3).trim());
            } else if (line.startsWith("data:")) {
                events.add(new Event(name, id, JSON.readTree(line.substring(5).trim())));
            } else if (line.isBlank()) {
                name = "message";
                id = 0;
            }
        }
        return events;
    }

    /** The ids of the events named {@code name} that carry one, in the order they came. */
    public static List<Long> ids(List<Event> events, String name) {
        return events.stream().filter(e -> e.name().equals(name) && e.id() > 0).map(Event::id).toList();
    }
}
