DROP TABLE health_leases;
