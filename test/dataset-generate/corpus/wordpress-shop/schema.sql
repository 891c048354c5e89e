-- A WordPress site with a WooCommerce shop: wp_-prefixed tables, no foreign keys (WordPress
-- declares none), users with metadata, posts and comments, terms, and WooCommerce's order tables
-- (the "high-performance order storage" ones) and customer lookup.
-- dialects: sqlite, mysql
create table `wp_users` (
  `ID` bigint unsigned not null,
  `user_login` varchar(60) not null,
  `user_pass` varchar(255) not null,
  `user_nicename` varchar(50) not null,
  `user_email` varchar(100) not null,
  `user_url` varchar(100) not null,
  `user_registered` datetime not null,
  `user_activation_key` varchar(255) not null,
  `user_status` int not null,
  `display_name` varchar(250) not null,
  primary key (`ID`)
);
create table `wp_usermeta` (
  `umeta_id` bigint unsigned not null,
  `user_id` bigint unsigned not null,
  `meta_key` varchar(255),
  `meta_value` longtext,
  primary key (`umeta_id`)
);
create table `wp_posts` (
  `ID` bigint unsigned not null,
  `post_author` bigint unsigned not null,
  `post_date` datetime not null,
  `post_date_gmt` datetime not null,
  `post_content` longtext not null,
  `post_title` text not null,
  `post_excerpt` text not null,
  `post_status` varchar(20) not null,
  `comment_status` varchar(20) not null,
  `ping_status` varchar(20) not null,
  `post_password` varchar(255) not null,
  `post_name` varchar(200) not null,
  `post_modified` datetime not null,
  `post_modified_gmt` datetime not null,
  `post_parent` bigint unsigned not null,
  `guid` varchar(255) not null,
  `menu_order` int not null,
  `post_type` varchar(20) not null,
  `post_mime_type` varchar(100) not null,
  `comment_count` bigint not null,
  primary key (`ID`)
);
create table `wp_postmeta` (
  `meta_id` bigint unsigned not null,
  `post_id` bigint unsigned not null,
  `meta_key` varchar(255),
  `meta_value` longtext,
  primary key (`meta_id`)
);
create table `wp_comments` (
  `comment_ID` bigint unsigned not null,
  `comment_post_ID` bigint unsigned not null,
  `comment_author` tinytext not null,
  `comment_author_email` varchar(100) not null,
  `comment_author_url` varchar(200) not null,
  `comment_author_IP` varchar(100) not null,
  `comment_date` datetime not null,
  `comment_date_gmt` datetime not null,
  `comment_content` text not null,
  `comment_karma` int not null,
  `comment_approved` varchar(20) not null,
  `comment_agent` varchar(255) not null,
  `comment_type` varchar(20) not null,
  `comment_parent` bigint unsigned not null,
  `user_id` bigint unsigned not null,
  primary key (`comment_ID`)
);
create table `wp_terms` (
  `term_id` bigint unsigned not null,
  `name` varchar(200) not null,
  `slug` varchar(200) not null,
  `term_group` bigint not null,
  primary key (`term_id`)
);
create table `wp_term_taxonomy` (
  `term_taxonomy_id` bigint unsigned not null,
  `term_id` bigint unsigned not null,
  `taxonomy` varchar(32) not null,
  `description` longtext not null,
  `parent` bigint unsigned not null,
  `count` bigint not null,
  primary key (`term_taxonomy_id`)
);
create table `wp_term_relationships` (
  `object_id` bigint unsigned not null,
  `term_taxonomy_id` bigint unsigned not null,
  `term_order` int not null,
  primary key (`object_id`, `term_taxonomy_id`)
);
create table `wp_options` (
  `option_id` bigint unsigned not null,
  `option_name` varchar(191) not null,
  `option_value` longtext not null,
  `autoload` varchar(20) not null,
  primary key (`option_id`)
);
create table `wp_wc_orders` (
  `id` bigint unsigned not null,
  `status` varchar(20),
  `currency` varchar(10),
  `type` varchar(20),
  `tax_amount` decimal(26,8),
  `total_amount` decimal(26,8),
  `customer_id` bigint unsigned,
  `billing_email` varchar(320),
  `date_created_gmt` datetime,
  `date_updated_gmt` datetime,
  `parent_order_id` bigint unsigned,
  `payment_method` varchar(100),
  `payment_method_title` text,
  `transaction_id` varchar(100),
  `ip_address` varchar(100),
  `user_agent` text,
  `customer_note` text,
  primary key (`id`)
);
create table `wp_wc_order_addresses` (
  `id` bigint unsigned not null,
  `order_id` bigint unsigned not null,
  `address_type` varchar(20),
  `first_name` text,
  `last_name` text,
  `company` text,
  `address_1` text,
  `address_2` text,
  `city` text,
  `state` text,
  `postcode` text,
  `country` text,
  `email` varchar(320),
  `phone` varchar(100),
  primary key (`id`)
);
create table `wp_wc_order_operational_data` (
  `id` bigint unsigned not null,
  `order_id` bigint unsigned,
  `created_via` varchar(100),
  `woocommerce_version` varchar(20),
  `prices_include_tax` tinyint,
  `coupon_usages_are_counted` tinyint,
  `download_permission_granted` tinyint,
  `cart_hash` varchar(100),
  `new_order_email_sent` tinyint,
  `order_key` varchar(100),
  `order_stock_reduced` tinyint,
  `date_paid_gmt` datetime,
  `date_completed_gmt` datetime,
  `shipping_tax_amount` decimal(26,8),
  `shipping_total_amount` decimal(26,8),
  `discount_tax_amount` decimal(26,8),
  `discount_total_amount` decimal(26,8),
  `recorded_sales` tinyint,
  primary key (`id`)
);
create table `wp_woocommerce_order_items` (
  `order_item_id` bigint unsigned not null,
  `order_item_name` text not null,
  `order_item_type` varchar(200) not null,
  `order_id` bigint unsigned not null,
  primary key (`order_item_id`)
);
create table `wp_woocommerce_order_itemmeta` (
  `meta_id` bigint unsigned not null,
  `order_item_id` bigint unsigned not null,
  `meta_key` varchar(255),
  `meta_value` longtext,
  primary key (`meta_id`)
);
create table `wp_wc_customer_lookup` (
  `customer_id` bigint unsigned not null,
  `user_id` bigint unsigned,
  `username` varchar(60) not null,
  `first_name` varchar(255) not null,
  `last_name` varchar(255) not null,
  `email` varchar(100),
  `date_last_active` timestamp,
  `date_registered` timestamp,
  `country` char(2) not null,
  `postcode` varchar(20) not null,
  `city` varchar(100) not null,
  `state` varchar(100) not null,
  primary key (`customer_id`)
);
