/**
 * A loopback HTTP server that replays AWS responses for the services moto 5.2 does not answer (it
 * answers Lambda GetAccountSettings, SES v2 GetAccount and QuickSight DescribeAccountSubscription with
 * 404 pages): each route returns the response or error of the service's API reference, for REST-JSON
 * services an error as its status, the `x-amzn-ErrorType` header naming the error and a JSON body with
 * its message: the header AWS JSON error parsers read first, then the body's `__type`/`code`
 * (https://app.unpkg.com/@aws-amplify/core@6.16.2/files/dist/esm/clients/serde/json.mjs).
 * Requests are recorded so a test can assert that the preflight asked.
 */
import * as http from "http";
import type { AddressInfo } from "net";

/** A response to replay. */
export interface Replay {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** One route: method, a path pattern, and the response (from the match). */
export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly path: RegExp;
  readonly reply: (match: RegExpExecArray) => Replay;
}

/** A recorded request. */
export interface Recorded {
  readonly method: string;
  readonly path: string;
}

/** A running replay server. */
export interface ReplayServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly requests: Recorded[];
  /** Replaces the routes (the next requests see the new ones). */
  routes(routes: Route[]): void;
  close(): Promise<void>;
}

/** A 200 JSON response. */
export function ok(body: unknown): Replay {
  return { status: 200, body };
}

/** A REST-JSON error: the status, `x-amzn-ErrorType: <type>` and `{ "message": ... }`. */
export function awsError(status: number, type: string, message: string): Replay {
  return { status, headers: { "x-amzn-ErrorType": type }, body: { message, Message: message } };
}

/** Starts the server on a free loopback port with `routes`. Unmatched requests get a 404 error. */
export async function startReplayServer(initial: Route[] = []): Promise<ReplayServer> {
  let routes = initial;
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    req.resume();
    req.on("end", () => {
      requests.push({ method: req.method ?? "", path: url.pathname });
      let reply: Replay | undefined;
      for (const r of routes) {
        const m = r.method === req.method ? r.path.exec(decodeURIComponent(url.pathname)) : null;
        if (m) {
          reply = r.reply(m);
          break;
        }
      }
      reply ??= awsError(404, "UnknownOperationException", `no replay for ${req.method} ${url.pathname}`);
      const body = reply.body === undefined ? "" : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        "content-type": "application/json",
        "x-amzn-requestid": `replay-${requests.length}`,
        ...reply.headers,
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    routes: (next) => void (routes = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Lambda GetAccountSettings (`GET /2016-08-19/account-settings`), its response shape:
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html
 */
export function lambdaAccountSettings(concurrent: number, unreserved: number): Route {
  return {
    method: "GET",
    path: /^\/2016-08-19\/account-settings\/?$/,
    reply: () =>
      ok({
        AccountLimit: {
          CodeSizeUnzipped: 262144000,
          CodeSizeZipped: 52428800,
          ConcurrentExecutions: concurrent,
          TotalCodeSize: 80530636800,
          UnreservedConcurrentExecutions: unreserved,
        },
        AccountUsage: { FunctionCount: 0, TotalCodeSize: 0 },
      }),
  };
}

/**
 * SES v2 GetAccount (`GET /v2/email/account`):
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html
 */
export function sesAccount(productionAccess: boolean): Route {
  return {
    method: "GET",
    path: /^\/v2\/email\/account\/?$/,
    reply: () =>
      ok({
        DedicatedIpAutoWarmupEnabled: false,
        EnforcementStatus: "HEALTHY",
        ProductionAccessEnabled: productionAccess,
        SendingEnabled: true,
        SendQuota: productionAccess
          ? { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 0 }
          : { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0 },
      }),
  };
}

/**
 * SES v2 GetEmailIdentity (`GET /v2/email/identities/{EmailIdentity}`): the verified identities, a
 * NotFoundException (404) for the others:
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetEmailIdentity.html
 */
export function sesIdentities(verified: readonly string[]): Route {
  return {
    method: "GET",
    path: /^\/v2\/email\/identities\/([^/]+)$/,
    reply: (m) =>
      verified.includes(m[1])
        ? ok({
            IdentityType: m[1].includes("@") ? "EMAIL_ADDRESS" : "DOMAIN",
            FeedbackForwardingStatus: true,
            VerifiedForSendingStatus: true,
            VerificationStatus: "SUCCESS",
          })
        : awsError(404, "NotFoundException", `Email identity ${m[1]} does not exist.`),
  };
}

/**
 * QuickSight DescribeAccountSubscription (`GET /account/{AwsAccountId}`): the subscription, or
 * ResourceNotFoundException (404) without one:
 * https://docs.aws.amazon.com/quicksight/latest/APIReference/API_DescribeAccountSubscription.html
 */
export function quicksightSubscription(subscribed: Record<string, string>): Route {
  return {
    method: "GET",
    path: /^\/account\/(\d{12})$/,
    reply: (m) =>
      subscribed[m[1]] !== undefined
        ? {
            status: 200,
            body: {
              AccountInfo: {
                AccountName: `acme-${m[1]}`,
                AccountSubscriptionStatus: subscribed[m[1]],
                AuthenticationType: "IAM_AND_QUICKSIGHT",
                Edition: "ENTERPRISE",
                NotificationEmail: "data-platform@acme.example",
              },
              RequestId: "replay",
            },
          }
        : awsError(404, "ResourceNotFoundException", `Account information for ${m[1]} does not exist.`),
  };
}

/**
 * QuickSight ListGroups (`GET /accounts/{AwsAccountId}/namespaces/{Namespace}/groups`): the groups, or
 * the AccessDeniedException (401) QuickSight returns outside the identity region, worded as reported in
 * https://github.com/aws-solutions-library-samples/cloud-intelligence-dashboards-framework/issues/12.
 */
export function quicksightGroups(identityRegion: Record<string, string>, calledFrom: string): Route {
  return {
    method: "GET",
    path: /^\/accounts\/(\d{12})\/namespaces\/default\/groups$/,
    reply: (m) => {
      const home = identityRegion[m[1]] ?? calledFrom;
      return home === calledFrom
        ? { status: 200, body: { GroupList: [], RequestId: "replay", Status: 200 } }
        : awsError(
            401,
            "AccessDeniedException",
            `Operation is being called from endpoint ${calledFrom}, but your identity region is ${home}. Please use the ${home} endpoint.`,
          );
    },
  };
}
