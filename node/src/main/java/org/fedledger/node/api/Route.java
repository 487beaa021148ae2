package org.fedledger.node.api;

/** A method and path the API serves; the OpenAPI document must describe each. */
public record Route(String method, String path) {}
