#!/usr/bin/env bash
# Starts Redis and NATS JetStream on their standard local ports when they are not already answering;
# the tests of the Redis and NATS drivers run against these real servers.
set -u
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! port_open 6379; then
  if command -v redis-server >/dev/null; then
    echo "starting redis-server"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  else
    echo "redis-server not installed: Redis tests will skip"
  fi
fi
if ! port_open 4222; then
  if [ -x /usr/sbin/nats-server ]; then
    echo "starting nats-server with JetStream"
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
  else
    echo "nats-server not installed: NATS tests will skip"
  fi
fi
for i in $(seq 1 50); do
  port_open 6379 && port_open 4222 && break
  sleep 0.2
done
exit 0
