package dev.fashiontrainer.serve;

/** A request the server refuses: the HTTP status and one line saying what is wrong and what to send. */
final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    BadRequest(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
