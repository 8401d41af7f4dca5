package dev.fashiontrainer.model;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * Stands for a gadget class: Java deserialization of it runs its {@code readObject}, which records that it ran.
 * A model file must never get this far.
 */
public final class DeserializationCanary implements Serializable {
    private static final long serialVersionUID = 1L;
    private static volatile boolean deserialized;

    /** @return whether any instance was deserialized in this JVM */
    public static boolean wasDeserialized() {
        return deserialized;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        deserialized = true;
        in.defaultReadObject();
    }
}
