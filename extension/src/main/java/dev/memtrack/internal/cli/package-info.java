/**
 * The command line: {@code ReportCli render|summary}, renders reports from capture files after
 * the fact; {@code ReportCli diff|baseline update} ({@code BaselineCommands}) for baselines. Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.cli;
