package io.skelstream.it.badinput;

import io.skelstream.schemas.avro.ErrorKind;

/**
 * One message a broken or hostile device might send, and what SkelStream must do with it.
 *
 * @param name     what is wrong, for failure messages
 * @param key      record key bytes (null: no key)
 * @param value    record value bytes (null: a tombstone)
 * @param expected the dead letter's error kind; null when the contract says the message is not dead-lettered
 *                 (a repeated sequence number is counted and dropped; an empty bodies list is a valid frame)
 */
public record MalformedMessage(String name, byte[] key, byte[] value, ErrorKind expected) {
}
