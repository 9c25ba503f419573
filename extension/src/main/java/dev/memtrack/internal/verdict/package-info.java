/**
 * Verdict arithmetic: which figure a leak, peak or budget check judges, over one domain or all
 * measured domains combined. Pure values, no JUnit and no AssertJ, so the assertions, the
 * declarative limits and the message factories all read the same numbers; {@link
 * dev.memtrack.internal.verdict.Verdict} is the one place a figure meets its limit.
 * Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.verdict;
