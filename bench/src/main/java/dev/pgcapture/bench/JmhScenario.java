package dev.pgcapture.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Scenario {@code jmh}: the JMH micro-benchmarks of this module (the agent's pgoutput decoder,
 * core's binary codecs, the consumer SDK's row decoding) run inside {@code hack/bench}, so that
 * one report holds them beside the end-to-end scenarios. One fork each, on the same class path
 * and JVM flags; {@code hack/jmh} runs them alone with any JMH option.
 */
final class JmhScenario {

    /**
     * @param include a regular expression over benchmark names
     * @param warmupIterations untimed iterations per benchmark
     * @param iterations measured iterations per benchmark
     * @param seconds the length of one iteration
     */
    record Options(String include, int warmupIterations, int iterations, int seconds) {
    }

    /** One benchmark's score with JMH's 99.9% confidence half-width. */
    record Score(String benchmark, String params, double score, double error, String unit) {
    }

    private final Options options;

    JmhScenario(Options options) {
        this.options = options;
    }

    List<Score> run() throws RunnerException {
        org.openjdk.jmh.runner.options.Options jmh = new OptionsBuilder()
                .include(options.include())
                .forks(1)
                .warmupIterations(options.warmupIterations())
                .warmupTime(TimeValue.seconds(options.seconds()))
                .measurementIterations(options.iterations())
                .measurementTime(TimeValue.seconds(options.seconds()))
                .build();
        Collection<RunResult> results = new Runner(jmh).run();
        List<Score> scores = new ArrayList<>();
        for (RunResult run : results) {
            Result<?> primary = run.getPrimaryResult();
            String params = run.getParams().getParamsKeys().stream()
                    .map(key -> key + "=" + run.getParams().getParam(key)).reduce((a, b) -> a + ", " + b).orElse("");
            scores.add(new Score(run.getParams().getBenchmark(), params, primary.getScore(), primary.getScoreError(), primary.getScoreUnit()));
        }
        scores.sort(Comparator.comparing(Score::benchmark).thenComparing(Score::params));
        return scores;
    }

    /** The report's section. */
    static String markdown(Options options, List<Score> scores) {
        StringBuilder out = new StringBuilder();
        out.append("## Scenario `jmh`: micro-benchmarks of the decoder and the codecs\n\n");
        out.append(String.format(Locale.ROOT, "JMH, one fork per benchmark, %d warm-up and %d measured iterations of %d s, throughput; "
                + "the error is JMH's 99.9%% confidence half-width. `hack/jmh` runs them alone with any JMH option (`-prof gc` for "
                + "allocation).%n%n", options.warmupIterations(), options.iterations(), options.seconds()));
        out.append("| benchmark | parameters | score | ± | unit |\n|---|---|---|---|---|\n");
        for (Score s : scores) {
            String name = s.benchmark().replaceFirst("^dev\\.pgcapture\\.", "");
            out.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %s |%n", name, s.params(), s.score(), s.error(), s.unit()));
        }
        return out.toString();
    }
}
