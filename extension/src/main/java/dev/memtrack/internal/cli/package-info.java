/**
 * The command line: {@code ReportCli render|summary}, renders reports from capture files after
 * the fact. Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.cli;
