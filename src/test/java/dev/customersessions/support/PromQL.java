package dev.customersessions.support;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, so that alert rules (and dashboards) can be checked against what the
 * service exports. Enough of PromQL for that: strings, label matchers, ranges and the label lists of {@code by},
 * {@code without}, {@code on}, {@code ignoring} and {@code group_*} are set aside, then every name not followed by
 * {@code (} (a function or aggregation) and not a keyword is a metric.
 */
public final class PromQL {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_LISTS = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** A name not inside another word or number, taken whole (possessive), and not a call. */
    private static final Pattern NAME = Pattern.compile("(?<![\\w:.])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "by", "without", "on",
            "ignoring", "group_left", "group_right");

    private PromQL() {
    }

    public static Set<String> metricNames(String expression) {
        String bare = STRINGS.matcher(expression).replaceAll("\"\"");
        bare = bare.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        bare = LABEL_LISTS.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(bare);
        while (name.find()) {
            if (!KEYWORDS.contains(name.group().toLowerCase(java.util.Locale.ROOT))) {
                names.add(name.group());
            }
        }
        return names;
    }
}
