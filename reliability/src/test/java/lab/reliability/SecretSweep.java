package lab.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Known secrets and the texts the appliance let out (log lines, API answers, metrics, state files), searched for each
 * other. Each secret names the places where it may appear (by the start of their name); a hit anywhere else is a
 * leak.
 */
final class SecretSweep {

    /** A secret, and the starts of the names of the places where it is meant to appear. */
    record Secret(String name, String value, Set<String> allowedIn) {
    }

    /** One secret found in one place, {@code count} times. */
    record Hit(String secret, String place, int count, boolean allowed) {
    }

    private final List<Secret> secrets = new ArrayList<>();
    private final Map<String, String> places = new LinkedHashMap<>();

    void secret(String name, String value, String... allowedIn) {
        if (value == null || value.length() < 12) {
            throw new IllegalArgumentException("secret " + name + " is too short to be distinctive: " + value);
        }
        secrets.add(new Secret(name, value, Set.of(allowedIn)));
    }

    /** Adds {@code text} as a place; a second text under the same name is appended to it. */
    void place(String name, String text) {
        places.merge(name, text, (a, b) -> a + "\n" + b);
    }

    List<Hit> hits() {
        List<Hit> hits = new ArrayList<>();
        for (Secret secret : secrets) {
            places.forEach((place, text) -> {
                int count = occurrences(text, secret.value());
                if (count > 0) {
                    boolean allowed = secret.allowedIn().stream().anyMatch(place::startsWith);
                    hits.add(new Hit(secret.name(), place, count, allowed));
                }
            });
        }
        return hits;
    }

    List<Hit> leaks() {
        return hits().stream().filter(hit -> !hit.allowed()).toList();
    }

    int secretCount() {
        return secrets.size();
    }

    int placeCount() {
        return places.size();
    }

    long lineCount() {
        return places.values().stream().mapToLong(text -> text.lines().count()).sum();
    }

    long placesStartingWith(String prefix) {
        return places.keySet().stream().filter(name -> name.startsWith(prefix)).count();
    }

    private static int occurrences(String text, String value) {
        int count = 0;
        for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + value.length())) {
            count++;
        }
        return count;
    }
}
