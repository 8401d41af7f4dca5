package dev.fashiontrainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;

/** DataFrames of labeled images: the schema is checked, and the rows split exactly as the same images in memory. */
class ImageFramesTest {
    private static final LabeledImages DATA = TestData.fashionMnist().train().head(300);

    private static SparkSession session() {
        return SparkSession.builder().sparkContext(TestSpark.context().sc()).getOrCreate();
    }

    private static StructType schema(boolean asNumbers) {
        return new StructType().add("index", DataTypes.LongType).add("label", DataTypes.IntegerType)
                .add("image", asNumbers ? DataTypes.createArrayType(DataTypes.DoubleType) : DataTypes.BinaryType);
    }

    /** The images in reverse row order, numbered by their index column, in 3 partitions. */
    private static Dataset<Row> frame(boolean asNumbers) {
        List<Row> rows = new ArrayList<>();
        for (int i = DATA.size() - 1; i >= 0; i--) {
            Object image = DATA.imageBytes(i);
            if (asNumbers) {
                List<Double> numbers = new ArrayList<>();
                for (int p = 0; p < LabeledImages.PIXELS; p++) {
                    numbers.add((double) DATA.pixel(i, p));
                }
                image = numbers;
            }
            rows.add(RowFactory.create((long) i, DATA.label(i), image));
        }
        return session().createDataFrame(rows, schema(asNumbers)).repartition(3);
    }

    @Test
    void bytesOrNumbersSplitAsTheSameImagesInMemory() {
        for (boolean asNumbers : new boolean[] {false, true}) {
            try (TrainingData data = ImageFrames.split(frame(asNumbers), "frame", 2, true, 9)) {
                List<TrainingShard> expected = Partitioner.split(DATA, 2, true, 9);
                List<TrainingShard> actual = data.shards().collect();
                for (int w = 0; w < 2; w++) {
                    LabeledImages e = expected.get(w).images();
                    LabeledImages a = actual.get(w).images();
                    assertEquals(e.size(), a.size());
                    for (int i = 0; i < e.size(); i++) {
                        assertArrayEquals(e.imageBytes(i), a.imageBytes(i));
                        assertEquals(e.label(i), a.label(i));
                    }
                }
            }
        }
    }

    @Test
    void aWrongSchemaIsRefusedInOneLineNamingTheColumn() {
        StructType noImage = new StructType().add("label", DataTypes.IntegerType).add("pixels", DataTypes.BinaryType);
        DataException missing = assertThrows(DataException.class, () -> ImageFrames.checkSchema(noImage, "d.parquet"));
        assertEquals("d.parquet: no column image (expected label int, image binary or array of numbers; found"
                + " label, pixels)", missing.getMessage());

        StructType stringLabel = new StructType().add("label", DataTypes.StringType).add("image", DataTypes.BinaryType);
        DataException wrong = assertThrows(DataException.class, () -> ImageFrames.checkSchema(stringLabel, "d"));
        assertEquals("d: column label must be an integer type, found string", wrong.getMessage());
    }
}
