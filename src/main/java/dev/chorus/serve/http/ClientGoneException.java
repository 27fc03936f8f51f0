package dev.chorus.serve.http;

/**
 * The client's connection broke while its request was being read: there is nobody to answer, so the server
 * counts the request as aborted instead of answering it with an error status.
 */
final class ClientGoneException extends RuntimeException {
    ClientGoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
