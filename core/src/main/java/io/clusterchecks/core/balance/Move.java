package io.clusterchecks.core.balance;

/** One config moved from one worker to another, with the load it carries. */
public record Move(String digest, String checkName, String from, String to, double load) {}
