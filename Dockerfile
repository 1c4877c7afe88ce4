# Production image of the portal: several of these run behind a load balancer on one PostgreSQL
# (README, "Running in production"). Build: docker build -t gatehouse .
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
# postinstall generates the Prisma client into lib/server/db/generated.
COPY lib/server/db ./lib/server/db
RUN npm ci
COPY . .
RUN npx next build && npm prune --omit=dev

FROM node:20.19-bookworm-slim
WORKDIR /app
# NODE_OPTIONS: scripts/server-flags.mjs (the young generation size, decision 023).
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 NODE_OPTIONS=--max-semi-space-size=32
RUN useradd --system --uid 10001 gatehouse
COPY --from=build --chown=gatehouse /app/package.json /app/next.config.mjs ./
COPY --from=build --chown=gatehouse /app/node_modules ./node_modules
COPY --from=build --chown=gatehouse /app/.next ./.next
COPY --from=build --chown=gatehouse /app/prisma ./prisma
COPY --from=build --chown=gatehouse /app/lib/server/db/generated ./lib/server/db/generated
USER gatehouse
EXPOSE 3000
# Stateless: configuration comes from the environment (DATABASE_URL, GATEHOUSE_AUTH=oidc, OIDC_*,
# NEXTAUTH_*, GATEHOUSE_CLOUD=aws, AWS_REGION, …). Migrations apply at startup under an advisory lock.
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "node_modules/next/dist/bin/next", "start"]
