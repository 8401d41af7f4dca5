package dev.fashiontrainer.ml;

import java.util.Arrays;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import dev.fashiontrainer.data.DataException;

/**
 * Checks a DataFrame's schema before any job runs: the features and label columns exist and have types the
 * classifier can read. Each message names the column and says what was expected and what was found.
 */
final class InputColumns {
    /** What the features column must hold, for messages. */
    static final String FEATURES_EXPECTED = "MLlib Vectors of finite numbers, all of one size";
    /** What the label column must hold, for messages. */
    static final String LABEL_EXPECTED = "class indices 0, 1, 2, ... as numbers (StringIndexer's output, for example)";

    private InputColumns() {
    }

    /** @throws DataException when {@code column} is missing or does not hold vectors */
    static void requireFeatures(StructType schema, String column) {
        require(schema, column, FEATURES_EXPECTED, type -> type.equals(SQLDataTypes.VectorType()));
    }

    /** @throws DataException when {@code column} is missing or is not numeric */
    static void requireLabel(StructType schema, String column) {
        require(schema, column, LABEL_EXPECTED, type -> type instanceof NumericType);
    }

    /** @throws DataException when {@code column} is missing or is not numeric */
    static void requireTarget(StructType schema, String column) {
        require(schema, column, "the numbers to predict", type -> type instanceof NumericType);
    }

    /** @throws DataException when {@code column} is missing or is not boolean */
    static void requireIndicator(StructType schema, String column) {
        require(schema, column, "booleans, true for validation rows", type -> type.equals(DataTypes.BooleanType));
    }

    private static void require(StructType schema, String column, String expected,
                                java.util.function.Predicate<DataType> accepts) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new DataException("column '" + column + "' is missing: expected " + expected + "; the DataFrame"
                    + " has columns " + Arrays.toString(schema.fieldNames()));
        }
        DataType found = schema.apply(column).dataType();
        if (!accepts.test(found)) {
            throw new DataException("column '" + column + "': expected " + expected + ", found type "
                    + found.simpleString());
        }
    }
}
