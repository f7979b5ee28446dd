package io.skelstream.it.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The instructions of a Dockerfile, continuation lines joined and comments dropped, each tagged with its build
 * stage, so tests can check what the image will do without a Docker engine.
 */
public final class DockerfileInstructions {

    /** One instruction: {@code keyword} upper-case, {@code arguments} the rest of the (joined) line. */
    public record Instruction(int stage, String keyword, String arguments) {

        /** The exec form {@code ["a", "b"]} as a list; fails when the instruction uses the shell form. */
        public List<String> execForm() {
            String text = arguments.strip();
            int bracket = text.indexOf('[');
            if (bracket < 0) {
                throw new IllegalStateException(keyword + " is not in exec form: " + arguments);
            }
            try {
                return new ObjectMapper().readValue(text.substring(bracket), new TypeReference<List<String>>() { });
            } catch (IOException e) {
                throw new IllegalStateException(keyword + " exec form is not a JSON array: " + arguments, e);
            }
        }
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");

    private final List<Instruction> instructions;

    private DockerfileInstructions(List<Instruction> instructions) {
        this.instructions = List.copyOf(instructions);
    }

    public static DockerfileInstructions read(Path dockerfile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dockerfile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Instruction> parsed = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int stage = -1;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (continues) {
                continue;
            }
            String joined = current.toString().strip();
            current.setLength(0);
            if (joined.isEmpty()) {
                continue;
            }
            int space = joined.indexOf(' ');
            String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
            String arguments = space < 0 ? "" : joined.substring(space + 1).strip();
            if (keyword.equals("FROM")) {
                stage++;
            }
            parsed.add(new Instruction(stage, keyword, arguments));
        }
        return new DockerfileInstructions(parsed);
    }

    public List<Instruction> all() {
        return instructions;
    }

    /** Instructions with this keyword, in order. */
    public List<Instruction> named(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The index of the last stage: the image that is built. */
    public int finalStage() {
        return instructions.stream().mapToInt(Instruction::stage).max().orElse(-1);
    }

    /** Instructions of the final stage with this keyword. */
    public List<Instruction> inFinalStage(String keyword) {
        int last = finalStage();
        return named(keyword).stream().filter(i -> i.stage() == last).toList();
    }

    /** ENV of the final stage as name -> value ({@code ENV A=1 B="x y"}). */
    public Map<String, String> finalEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction instruction : inFinalStage("ENV")) {
            Matcher matcher = ENV_PAIR.matcher(instruction.arguments());
            while (matcher.find()) {
                String value = matcher.group(2);
                env.put(matcher.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
            }
        }
        return env;
    }
}
