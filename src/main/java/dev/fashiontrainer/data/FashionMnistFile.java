package dev.fashiontrainer.data;

/**
 * The four files of Fashion-MNIST with the SHA-256 of their decompressed content.
 * Debian recompresses the upstream {@code .gz} files, so only the decompressed bytes are comparable.
 */
public enum FashionMnistFile {
    /** 60,000 training images, 28x28 bytes each. */
    TRAIN_IMAGES("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    /** 60,000 training labels. */
    TRAIN_LABELS("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    /** 10,000 test images. */
    TEST_IMAGES("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    /** 10,000 test labels. */
    TEST_LABELS("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    private final String baseName;
    private final String sha256;

    FashionMnistFile(String baseName, String sha256) {
        this.baseName = baseName;
        this.sha256 = sha256;
    }

    /** @return the file name without compression suffix, e.g. {@code train-images-idx3-ubyte} */
    public String baseName() {
        return baseName;
    }

    /** @return the upstream, gzipped file name, e.g. {@code train-images-idx3-ubyte.gz} */
    public String gzipName() {
        return baseName + ".gz";
    }

    /** @return hex SHA-256 of the decompressed file */
    public String sha256() {
        return sha256;
    }
}
