/**
 * Registration dates: datasets past or near their `endsOn`, and consumer grants past or near their
 * `expiresOn`, judged on the run date against `governance.reminderDays`.
 */
import { datasetStatus, grantStatus, readableOn } from "../../platform";
import type { Dataset, Platform } from "../../platform";
import { daysBetween } from "../dates";
import { Finding, RoutedFinding } from "../findings";

function inDays(days: number): string {
  return days === 0 ? "today" : days === 1 ? "tomorrow" : `in ${days} days`;
}

function daysAgo(days: number): string {
  return days === 1 ? "yesterday" : `${days} days ago`;
}

/**
 * Past `endsOn`: an error while data is still under its location (retired data nobody answers for), a
 * warning once it is empty (the registration should go). Within `reminderDays` of it: an info reminder.
 */
export function registrationFindings(
  dataset: Dataset,
  date: string,
  reminderDays: number,
  hasData: boolean,
): Finding[] {
  // The rule the lake's grants and crawlers follow; the days only word the message.
  const status = datasetStatus(dataset, date, reminderDays);
  if (status === "active" || !dataset.endsOn) return [];
  const left = daysBetween(date, dataset.endsOn);
  if (status === "ended")
    return [
      {
        dataset: dataset.name,
        check: "registration",
        severity: hasData ? "error" : "warning",
        message: hasData
          ? `registration ended on ${dataset.endsOn} (${daysAgo(-left)}) but data is still under its location: extend endsOn in the platform definition, or delete the data`
          : `registration ended on ${dataset.endsOn} (${daysAgo(-left)}) and its location is empty: remove the dataset from the platform definition`,
      },
    ];
  return [
    {
      dataset: dataset.name,
      check: "registration",
      severity: "info",
      message: `registration ends on ${dataset.endsOn} (${inDays(left)}): extend endsOn in the platform definition to keep the dataset, or plan its retirement`,
    },
  ];
}

/**
 * For each consumer grant that has expired (warning) or expires within `reminderDays` (info), one finding
 * per dataset the team reads (those past their `endsOn` aside), sent to the team and the dataset's owner.
 */
export function grantExpiryFindings(p: Platform, date: string): RoutedFinding[] {
  const out: RoutedFinding[] = [];
  for (const consumer of p.consumers) {
    // The same rule the lake's grants follow (grants past expiresOn are not declared).
    const status = grantStatus(consumer, date, p.governance.reminderDays);
    // A grant that has not started reminds nobody: it is neither granted nor ending.
    if (status === "active" || status === "pending") continue;
    const left = daysBetween(date, consumer.expiresOn);
    // A dataset past its endsOn is no team's any more: its grants' ends concern nobody.
    for (const d of readableOn(p, consumer, date)) {
      const message =
        status === "expired"
          ? `${consumer.team}'s read grant (account ${consumer.account}) expired on ${consumer.expiresOn} (${daysAgo(-left)}) and is no longer granted: extend expiresOn in the platform definition, or remove the consumer`
          : `${consumer.team}'s read grant (account ${consumer.account}) expires on ${consumer.expiresOn} (${inDays(left)}): extend expiresOn in the platform definition to keep access`;
      out.push({
        finding: {
          dataset: d.name,
          check: "grant-expiry",
          severity: status === "expired" ? "warning" : "info",
          message,
        },
        notify: [consumer.email, d.owner.email],
      });
    }
  }
  return out;
}
