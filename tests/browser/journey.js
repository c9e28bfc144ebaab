// One headless Chromium session against a running Posterior server: a user approves a partner on
// the OAuth consent page, then, if the job names docsUrl, the same browser reads /docs. Prints what
// it saw as JSON; the assertions live in tests/e2e/browser/ (pytest), which starts the servers and
// passes the job:
//
//   node journey.js '{"consent": {"url", "email", "password", "callbackUrl"}, "docsUrl"?, "artifacts"}'
"use strict";

const path = require("node:path");
const { chromium } = require("playwright-core");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
// The machine reaches no network but its own: Chromium's background services (updates, sync,
// QUIC probes) would only fail, and a fresh profile keeps runs independent (launch() makes one).
const ARGS = [
  "--headless",
  "--no-sandbox", // runs as root in CI
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const TIMEOUT_MS = 20_000;

// Console errors, uncaught exceptions, failed requests and error answers of one page.
function watch(page) {
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`exception: ${error.message}`));
  page.on("requestfailed", (request) =>
    problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

async function approveConsent(context, { url, email, password, callbackUrl }, artifacts) {
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(url);
  const seen = {
    title: await page.title(),
    heading: await page.locator("h1").innerText(),
    scopes: await page.locator('input[name="scope"]').evaluateAll((boxes) =>
      boxes.map((box) => ({ value: box.value, label: box.parentElement.innerText.trim(), checked: box.checked })),
    ),
  };
  const screenshot = path.join(artifacts, "consent.png");
  await page.screenshot({ path: screenshot, fullPage: true });

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await Promise.all([
    page.waitForURL((landed) => landed.href.startsWith(callbackUrl)),
    page.getByRole("button", { name: "Allow" }).click(),
  ]);
  const landedOn = page.url();
  const callbackText = await page.locator("body").innerText();
  await page.close();
  return { ...seen, screenshot, landedOn, callbackText, problems };
}

async function readDocs(context, docsUrl, artifacts) {
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(docsUrl);
  // Swagger UI renders after fetching the spec; the tag sections are the last thing to appear.
  await page.locator(".opblock-tag").first().waitFor();
  await page.waitForLoadState("networkidle");
  const tags = await page
    .locator(".opblock-tag")
    .evaluateAll((headings) => headings.map((h) => h.getAttribute("data-tag")));
  const tagTexts = await page.locator(".opblock-tag").allInnerTexts();
  const operations = await page.locator(".opblock").count();
  const title = await page.locator(".info .title").innerText();
  const screenshot = path.join(artifacts, "docs.png");
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { title, tags, tagTexts, operations, screenshot, problems };
}

async function main() {
  const job = JSON.parse(process.argv[2]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(TIMEOUT_MS);
    const consent = await approveConsent(context, job.consent, job.artifacts);
    const docs = job.docsUrl ? await readDocs(context, job.docsUrl, job.artifacts) : null;
    process.stdout.write(JSON.stringify({ browser: browser.version(), consent, docs }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
