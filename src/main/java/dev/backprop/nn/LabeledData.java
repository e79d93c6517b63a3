package dev.backprop.nn;

/**
 * Training examples as row-major primitive matrices: the features are {@code rows × featureCount}, held in
 * blocks of {@code rowsPerBlock} rows each (the last one may be shorter); {@code targets} is one
 * {@code rows × targetCount} array. For classification, targets are a single 0/1 column (two classes, sigmoid
 * output) or one-hot columns (softmax output).
 *
 * <p>Why blocks: a large data set's encoded rows (T4: 376 MB) as one array are one humongous allocation that the
 * allocating thread alone zeroes, page fault by page fault, on memory new to the process. In blocks of a few
 * megabytes each, the encoding allocates every block on the core that fills it, so both cores take the faults and
 * each block is zeroed while it is in cache. A matrix of one block is the plain array, as before.
 *
 * <p>Rows per block, when there is more than one block, are a multiple of {@link #BLOCK_ROW_MULTIPLE}, the rows of
 * the engine's inference chunks: a chunk never straddles two blocks, so every prediction and validation loss reads
 * the very rows, in the very calls, that one array would give — the same values to the last bit.
 *
 * <p>The arrays are shared, not copied: callers must not change them while a run uses them.
 */
public record LabeledData(double[][] featureBlocks, int rowsPerBlock, double[] targets, int rows, int featureCount,
                          int targetCount) {

    /** Rows per block are a multiple of this (see the class comment): the network's inference chunk. */
    public static final int BLOCK_ROW_MULTIPLE = 1024;

    /** About this many values per block: 8 MB of doubles, four of G1's 2 MB regions. */
    private static final int BLOCK_VALUES = 1 << 20;

    public LabeledData {
        if (rows < 0 || featureCount < 1 || targetCount < 1) {
            throw new IllegalArgumentException("need rows >= 0, featureCount >= 1 and targetCount >= 1");
        }
        if (rowsPerBlock < 1) {
            throw new IllegalArgumentException("need rowsPerBlock >= 1, was " + rowsPerBlock);
        }
        int blocks = blockCount(rows, rowsPerBlock);
        if (featureBlocks.length != blocks) {
            throw new IllegalArgumentException("features hold " + featureBlocks.length + " blocks, expected " + blocks
                    + " for " + rows + " rows of " + rowsPerBlock + " a block");
        }
        if (blocks > 1 && rowsPerBlock % BLOCK_ROW_MULTIPLE != 0) {
            throw new IllegalArgumentException("rows per block must be a multiple of " + BLOCK_ROW_MULTIPLE + ", was " + rowsPerBlock);
        }
        for (int b = 0; b < blocks; b++) {
            int expected = blockRows(rows, rowsPerBlock, b) * featureCount;
            if (featureBlocks[b].length != expected) {
                throw new IllegalArgumentException("features hold " + featureBlocks[b].length + " values in block " + b
                        + ", expected " + expected + " (" + rows + " rows × " + featureCount + " features)");
            }
        }
        if (targets.length != rows * targetCount) {
            throw new IllegalArgumentException("targets hold " + targets.length + " values, expected "
                    + rows + " rows × " + targetCount + " targets");
        }
    }

    /** Data whose features are one row-major {@code rows × featureCount} array (one block). */
    public LabeledData(double[] features, double[] targets, int rows, int featureCount, int targetCount) {
        this(new double[][]{features}, Math.max(rows, 1), targets, rows, featureCount, targetCount);
    }

    /** Builds data from nested arrays (one inner array per row), copying them. */
    public static LabeledData of(double[][] features, double[][] targets) {
        int rows = features.length;
        int featureCount = rows == 0 ? 1 : features[0].length;
        int targetCount = rows == 0 ? 1 : targets[0].length;
        return new LabeledData(flatten(features, featureCount), flatten(targets, targetCount), rows, featureCount, targetCount);
    }

    /**
     * Rows per block for a matrix of {@code rows × featureCount}: every row in one block when it holds at most about
     * 8 MB, else the largest multiple of {@link #BLOCK_ROW_MULTIPLE} rows within that (at least one multiple).
     */
    public static int rowsPerBlock(int rows, int featureCount) {
        if ((long) rows * featureCount <= BLOCK_VALUES) {
            return Math.max(rows, 1);
        }
        int multiples = Math.max(1, BLOCK_VALUES / BLOCK_ROW_MULTIPLE / Math.max(featureCount, 1));
        return Math.min(multiples * BLOCK_ROW_MULTIPLE, Math.max(rows, 1));
    }

    /** How many blocks {@code rows} rows take at {@code rowsPerBlock} a block (one, empty, for no rows). */
    public static int blockCount(int rows, int rowsPerBlock) {
        return rows == 0 ? 1 : (rows + rowsPerBlock - 1) / rowsPerBlock;
    }

    /** The rows of block {@code block}: {@code rowsPerBlock}, or fewer in the last one. */
    public static int blockRows(int rows, int rowsPerBlock, int block) {
        return Math.min(rowsPerBlock, rows - block * rowsPerBlock);
    }

    /**
     * The features as one row-major array: the array itself when there is one block.
     *
     * @throws IllegalStateException for features in more than one block; read them through {@link #featureBlocks}
     */
    public double[] features() {
        if (featureBlocks.length != 1) {
            throw new IllegalStateException("the features are held in " + featureBlocks.length + " blocks of "
                    + rowsPerBlock + " rows");
        }
        return featureBlocks[0];
    }

    /** The block that holds row {@code row}; the row starts at {@code (row % rowsPerBlock()) * featureCount()} there. */
    public double[] blockOf(int row) {
        return featureBlocks[row / rowsPerBlock];
    }

    /** Copies the features of row {@code row} into {@code target} from {@code offset}. */
    public void copyRow(int row, double[] target, int offset) {
        System.arraycopy(featureBlocks[row / rowsPerBlock], (row % rowsPerBlock) * featureCount, target, offset, featureCount);
    }

    /** How many feature and target values the data hold. */
    public long valueCount() {
        return (long) rows * featureCount + targets.length;
    }

    /** The same features (shared) with other targets of the same shape. */
    public LabeledData withTargets(double[] otherTargets) {
        return new LabeledData(featureBlocks, rowsPerBlock, otherTargets, rows, featureCount, targetCount);
    }

    /**
     * The network's predictions of every row, {@code rows × outputUnits}: block by block, each block's inference
     * chunks the same as on one array (rows per block are a multiple of the chunk), so the same values to the last bit.
     */
    public double[] predictedBy(Network network) {
        if (featureBlocks.length == 1) {
            return network.predict(featureBlocks[0], rows);
        }
        double[] predictions = null;
        int outputs = 0;
        for (int b = 0; b < featureBlocks.length; b++) {
            int blockRows = blockRows(rows, rowsPerBlock, b);
            double[] block = network.predict(featureBlocks[b], blockRows);
            if (predictions == null) {
                outputs = block.length / blockRows;
                predictions = new double[rows * outputs];
            }
            System.arraycopy(block, 0, predictions, b * rowsPerBlock * outputs, block.length);
        }
        return predictions;
    }

    /** The rows at {@code indices}, in that order, copied into one block. */
    public LabeledData subset(int[] indices) {
        double[] x = new double[indices.length * featureCount];
        double[] y = new double[indices.length * targetCount];
        for (int i = 0; i < indices.length; i++) {
            copyRow(indices[i], x, i * featureCount);
            System.arraycopy(targets, indices[i] * targetCount, y, i * targetCount, targetCount);
        }
        return new LabeledData(x, y, indices.length, featureCount, targetCount);
    }

    /**
     * The class of a row for stratification: the argmax of one-hot targets, or the rounded value of a
     * single target column.
     */
    public int classOf(int row) {
        if (targetCount == 1) {
            return (int) Math.round(targets[row]);
        }
        return Metrics.argmax(targets, row * targetCount, targetCount);
    }

    private static double[] flatten(double[][] matrix, int cols) {
        double[] flat = new double[matrix.length * cols];
        for (int r = 0; r < matrix.length; r++) {
            if (matrix[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + matrix[r].length + " values, expected " + cols);
            }
            System.arraycopy(matrix[r], 0, flat, r * cols, cols);
        }
        return flat;
    }
}
