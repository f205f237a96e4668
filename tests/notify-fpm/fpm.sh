# Sourced after tests/plugin-wp/lib.sh (wp_site_install has set wp, port): serves that WordPress
# with Debian's php8.2-fpm behind nginx instead of php -S. Both run in the foreground of their
# own process groups with config files, logs, pid files and temp folders under $tmp, FastCGI on
# a second loopback port; no system service or system config file is used or touched.
# fpm_start [WORKERS]: pm = static with WORKERS (4) children. fpm_stop: stops both, by pid.
fpm_pid=""; nginx_pid=""

fpm_start() {
  local workers=${1:-4} fport user
  fport="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  user="$(id -un)"
  mkdir -p "$tmp/nginx"
  cat >"$tmp/fpm.conf" <<EOF
[global]
pid = $tmp/fpm.pid
error_log = $tmp/fpm.log
daemonize = no

[notify]
user = $user
group = $(id -gn)
listen = 127.0.0.1:$fport
listen.allowed_clients = 127.0.0.1
pm = static
pm.max_children = $workers
catch_workers_output = yes
clear_env = no
php_admin_value[error_log] = $tmp/fpm-php.log
php_admin_flag[log_errors] = on
EOF
  # -R: allowed to run as root (CI containers); the pool then runs as root, on loopback only.
  setsid php-fpm8.2 -F -R -y "$tmp/fpm.conf" -p "$tmp" -d extension="$ext" >"$tmp/fpm.out" 2>&1 &
  fpm_pid=$!
  cat >"$tmp/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
$([ "$user" = root ] && echo 'user root;')
events { worker_connections 256; }
http {
  access_log $tmp/nginx-access.log;
  client_body_temp_path $tmp/nginx/body;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  proxy_temp_path $tmp/nginx/proxy;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$port;
    root $wp;
    index index.php;
    location / { try_files \$uri \$uri/ /index.php?\$args; }
    location ~ \.php\$ {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_pass 127.0.0.1:$fport;
    }
  }
}
EOF
  setsid nginx -e "$tmp/nginx-error.log" -p "$tmp/nginx" -c "$tmp/nginx.conf" >"$tmp/nginx.out" 2>&1 &
  nginx_pid=$!
  for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/wp-login.php" && return 0; sleep 0.1; done
  WP_ERROR="nginx + php-fpm did not answer: $(tail -3 "$tmp/nginx-error.log" "$tmp/fpm.log" 2>/dev/null)"
  return 1
}

fpm_stop() {
  local p
  for p in "$nginx_pid" "$fpm_pid"; do
    [ -n "$p" ] || continue
    kill -TERM -- "-$p" 2>/dev/null; wait "$p" 2>/dev/null
    for _ in $(seq 50); do pgrep -g "$p" >/dev/null || break; sleep 0.1; done
    pgrep -g "$p" >/dev/null && kill -KILL -- "-$p" 2>/dev/null
  done
  nginx_pid=""; fpm_pid=""
}
