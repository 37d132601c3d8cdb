# The sandbox services (and the gameday CLI) on the upstream Node image, for machines with a registry:
#   npm ci && npm run build && docker compose build
# Without a registry, docker/build-images.sh builds the same image from this machine's Node instead.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY dist/src ./dist/src
COPY dist/sandbox-services ./dist/sandbox-services
CMD ["node", "dist/sandbox-services/gateway.js"]
