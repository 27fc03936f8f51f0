package dev.chorus.model;

/** Element type of the KV cache. F16 halves its memory at a small cost in fidelity (as llama.cpp's default). */
public enum KvType { F32, F16 }
