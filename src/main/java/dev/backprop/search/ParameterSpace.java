package dev.backprop.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The hyperparameters a search varies: each dimension is a parameter key with either a list of
 * values or, for random search, a distribution. A grid is the cartesian product in declaration order,
 * the last dimension varying fastest (so the first trials share the first value of the first key).
 */
public record ParameterSpace(List<Dimension> dimensions) {

    public ParameterSpace {
        dimensions = List.copyOf(dimensions);
    }

    /**
     * One searched parameter.
     *
     * @param key          the parameter, e.g. {@code learningRate} or {@code hiddenLayers[0].units}
     * @param values       the candidate values, or null when a distribution is given
     * @param distribution the distribution to sample, or null when values are given
     */
    public record Dimension(String key, List<Object> values, Distribution distribution) {

        public Dimension {
            // List.copyOf (and contains on an immutable list) would throw a NullPointerException instead.
            for (int i = 0; values != null && i < values.size(); i++) {
                if (values.get(i) == null) {
                    throw new IllegalArgumentException(key + ": value " + i + " is null");
                }
            }
            values = values == null ? null : List.copyOf(values);
            if ((values == null) == (distribution == null)) {
                throw new IllegalArgumentException(key + ": give either a list of values or a distribution");
            }
            if (values != null && values.isEmpty()) {
                throw new IllegalArgumentException(key + ": needs at least one value");
            }
        }

        boolean isDiscrete() {
            return values != null;
        }
    }

    /** A distribution random search samples from. */
    public sealed interface Distribution {

        Object sample(SplittableRandom random);

        /** {@code U(min, max)}. */
        record Uniform(double min, double max) implements Distribution {
            public Uniform {
                requireRange(min, max);
            }

            @Override
            public Object sample(SplittableRandom random) {
                return min + (max - min) * random.nextDouble();
            }
        }

        /** {@code exp(U(ln min, ln max))}, for scales such as learning rates; {@code min > 0}. */
        record LogUniform(double min, double max) implements Distribution {
            public LogUniform {
                requireRange(min, max);
                if (!(min > 0)) {
                    throw new IllegalArgumentException("loguniform needs min > 0, was " + min);
                }
            }

            @Override
            public Object sample(SplittableRandom random) {
                return Math.exp(Math.log(min) + (Math.log(max) - Math.log(min)) * random.nextDouble());
            }
        }

        /** An integer uniform on {@code [min, max]}, both included. */
        record IntUniform(long min, long max) implements Distribution {
            public IntUniform {
                if (min > max) {
                    throw new IllegalArgumentException("int_uniform needs min <= max, was " + min + " > " + max);
                }
            }

            @Override
            public Object sample(SplittableRandom random) {
                return min + random.nextLong(max - min + 1);
            }
        }

        private static void requireRange(double min, double max) {
            if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
                throw new IllegalArgumentException("a distribution needs finite min < max, was [" + min + ", " + max + "]");
            }
        }
    }

    /** Whether every dimension is a list, so that the space is a finite grid. */
    public boolean isFinite() {
        return dimensions.stream().allMatch(Dimension::isDiscrete);
    }

    /** Number of grid points, or {@link Long#MAX_VALUE} when it overflows. */
    public long gridSize() {
        if (!isFinite()) {
            throw new IllegalStateException("a space with distributions has no grid");
        }
        long size = 1;
        for (Dimension dimension : dimensions) {
            size = Math.multiplyExact(size, dimension.values().size());
        }
        return size;
    }

    /** The grid point at {@code index} (mixed radix, last dimension fastest). */
    public Map<String, Object> gridPoint(long index) {
        Map<String, Object> point = new LinkedHashMap<>();
        long rest = index;
        Object[] chosen = new Object[dimensions.size()];
        for (int d = dimensions.size() - 1; d >= 0; d--) {
            List<Object> values = dimensions.get(d).values();
            chosen[d] = values.get((int) (rest % values.size()));
            rest /= values.size();
        }
        for (int d = 0; d < dimensions.size(); d++) {
            point.put(dimensions.get(d).key(), chosen[d]);
        }
        return point;
    }

    /** Every grid point, in order. */
    public List<Map<String, Object>> grid() {
        long size = gridSize();
        List<Map<String, Object>> points = new ArrayList<>();
        for (long i = 0; i < size; i++) {
            points.add(gridPoint(i));
        }
        return points;
    }

    /**
     * Up to {@code count} distinct points drawn with {@code seed}. A finite space smaller than
     * {@code count} gives all its points, in a seeded order.
     */
    public List<Map<String, Object>> sample(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        if (isFinite() && gridSize() <= count) {
            List<Map<String, Object>> all = new ArrayList<>(grid());
            for (int i = all.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Map<String, Object> swap = all.get(i);
                all.set(i, all.get(j));
                all.set(j, swap);
            }
            return all;
        }
        List<Map<String, Object>> points = new ArrayList<>();
        Set<Map<String, Object>> seen = new HashSet<>();
        // Bounded retries: a nearly exhausted finite space would otherwise draw repeats for a long time.
        for (int attempt = 0; points.size() < count && attempt < count * 100; attempt++) {
            Map<String, Object> point = new LinkedHashMap<>();
            for (Dimension dimension : dimensions) {
                point.put(dimension.key(), dimension.isDiscrete()
                        ? dimension.values().get(random.nextInt(dimension.values().size()))
                        : dimension.distribution().sample(random));
            }
            if (seen.add(point)) {
                points.add(point);
            }
        }
        return points;
    }
}
