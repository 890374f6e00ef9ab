package io.clusterchecks.core.dispatch;

/** A registered worker and the address its runner API answers on ({@code X-Real-Ip}; may be empty). */
public record RunnerTarget(String node, String ip) {}
