package dev.chorus.cli;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * The llama.cpp side of {@code chorus bench --baseline llama.cpp}: runs in a forked JVM whose class path adds the
 * java-llama.cpp jar (de.kherud:llama, a JNI build of llama.cpp), so that library is never a dependency of Chorus.
 * It is called through reflection for the same reason. Prints one JSON line and exits explicitly, because the
 * library's native threads may keep the JVM alive after close.
 * <p>
 * Timing: with prompt caching off, a completion of 1 token measures prompt processing (plus one decode), and one of
 * n+1 tokens adds n decode steps: pp = p / t(1), tg = n / (t(n+1) - t(1)); medians over the repetitions.
 * Arguments: MODEL PROMPT_TEXT N_GEN THREADS REPS PROMPT_TOKENS.
 */
public final class LlamaCppBaseline {
    private LlamaCppBaseline() {
    }

    public static void main(String[] args) {
        int code = 0;
        try {
            run(args);
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : t;
            System.out.println("{\"error\": \"" + String.valueOf(cause).replace('"', '\'').replace('\n', ' ') + "\"}");
            code = 1;
        }
        System.out.flush();
        Runtime.getRuntime().halt(code);
    }

    private static void run(String[] args) throws Exception {
        String modelPath = args[0];
        String prompt = args[1];
        int n = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int reps = Integer.parseInt(args[4]);
        int promptTokens = Integer.parseInt(args[5]);

        Class<?> logFormat = Class.forName("de.kherud.llama.args.LogFormat");
        Class<?> llamaModel = Class.forName("de.kherud.llama.LlamaModel");
        Object text = logFormat.getField("TEXT").get(null);
        BiConsumer<Object, String> quiet = (level, message) -> { };
        llamaModel.getMethod("setLogger", logFormat, BiConsumer.class).invoke(null, text, quiet);

        Class<?> mpClass = Class.forName("de.kherud.llama.ModelParameters");
        Object mp = mpClass.getConstructor().newInstance();
        call(mp, "setModel", modelPath);
        call(mp, "setThreads", threads);
        call(mp, "setThreadsBatch", threads);
        call(mp, "setCtxSize", Math.max(256, promptTokens + n + 16));
        call(mp, "setBatchSize", Math.max(64, promptTokens));
        call(mp, "setUbatchSize", Math.max(64, promptTokens));
        call(mp, "setGpuLayers", 0);
        Object model = llamaModel.getConstructor(mpClass).newInstance(mp);

        Class<?> ipClass = Class.forName("de.kherud.llama.InferenceParameters");
        Method complete = llamaModel.getMethod("complete", ipClass);
        double[] pp = new double[reps];
        double[] tg = new double[reps];
        timeCompletion(complete, model, ipClass, prompt, 2); // warm-up
        for (int r = 0; r < reps; r++) {
            double t1 = timeCompletion(complete, model, ipClass, prompt, 1);
            double t2 = timeCompletion(complete, model, ipClass, prompt, n + 1);
            pp[r] = promptTokens / t1;
            tg[r] = n / Math.max(1e-9, t2 - t1);
        }
        System.out.printf("{\"pp_tok_s\": %.3f, \"tg_tok_s\": %.3f}%n", median(pp), median(tg));
    }

    private static double timeCompletion(Method complete, Object model, Class<?> ipClass, String prompt, int nPredict)
            throws Exception {
        Object ip = ipClass.getConstructor(String.class).newInstance(prompt);
        call(ip, "setNPredict", nPredict);
        call(ip, "setIgnoreEos", true);
        call(ip, "setCachePrompt", false);
        call(ip, "setTemperature", 0f);
        long t0 = System.nanoTime();
        complete.invoke(model, ip);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void call(Object target, String name, Object arg) throws Exception {
        Class<?> type = switch (arg) {
            case Integer i -> int.class;
            case Float f -> float.class;
            case Boolean b -> boolean.class;
            default -> arg.getClass();
        };
        target.getClass().getMethod(name, type).invoke(target, arg);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
