/**
 * Sizes as users write them ({@code "1.5GB"}) and as messages print them ({@code "1.5 GiB"}).
 * Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.size;
